import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { LRUCache } from 'lru-cache';

/**
 * express-rate-limit's store, fixed window per client, holding at most `maxClients` clients:
 * past that the least recently seen is forgotten (its count starts again if it returns). Memory
 * stays bounded however many addresses or keys clients send (express-rate-limit's MemoryStore
 * grows with every distinct key it sees in a window).
 */
export class BoundedRateLimitStore implements Store {
  readonly localKeys = true;
  private windowMs = 60_000;
  private readonly clients: LRUCache<string, ClientRateLimitInfo>;

  constructor(
    maxClients: number,
    private readonly now: () => number = Date.now,
  ) {
    this.clients = new LRUCache({ max: maxClients });
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** Clients held now: never more than `maxClients`. */
  get size(): number {
    return this.clients.size;
  }

  get(key: string): ClientRateLimitInfo | undefined {
    return this.current(key);
  }

  increment(key: string): ClientRateLimitInfo {
    const info = this.current(key) ?? { totalHits: 0, resetTime: new Date(this.now() + this.windowMs) };
    info.totalHits++;
    this.clients.set(key, info);
    return info;
  }

  decrement(key: string): void {
    const info = this.current(key);
    if (info && info.totalHits > 0) info.totalHits--;
  }

  resetKey(key: string): void {
    this.clients.delete(key);
  }

  resetAll(): void {
    this.clients.clear();
  }

  /** The client's count in the window under way, or undefined when its window has ended. */
  private current(key: string): ClientRateLimitInfo | undefined {
    const info = this.clients.get(key);
    return info && info.resetTime!.getTime() > this.now() ? info : undefined;
  }
}

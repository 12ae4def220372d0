import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { primaryObject } from '../runtime/primary-objects.js';
import type { BoundedRateLimitStore } from './bounded-rate-limit-store.js';

/**
 * express-rate-limit's store in a server worker: the counts live in the cluster primary's
 * BoundedRateLimitStore named `name` (runtime/serve-workers.ts), so a client's limit is the same
 * however many workers its requests reach, and memory stays bounded there.
 */
export class PrimaryRateLimitStore implements Store {
  readonly localKeys = false;
  private readonly remote: ReturnType<typeof primaryObject<BoundedRateLimitStore>>;

  constructor(name: string) {
    this.remote = primaryObject<BoundedRateLimitStore>(name);
  }

  init(options: Options): void {
    // Only the window crosses to the primary (the options hold functions); calls arrive in order, so it is set first.
    void this.remote.init({ windowMs: options.windowMs } as Options).catch(() => undefined);
  }

  get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.remote.get(key);
  }

  increment(key: string): Promise<ClientRateLimitInfo> {
    return this.remote.increment(key);
  }

  decrement(key: string): Promise<void> {
    return this.remote.decrement(key);
  }

  resetKey(key: string): Promise<void> {
    return this.remote.resetKey(key);
  }

  resetAll(): Promise<void> {
    return this.remote.resetAll();
  }
}

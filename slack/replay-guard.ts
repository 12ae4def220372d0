/** How far a request's timestamp may be from now, either way, as Slack's signing rules allow. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type ReplayVerdict = 'first' | 'replayed' | 'full';

/**
 * Remembers each signed request's signature (which covers its timestamp) for as long as that
 * signature could be accepted, so a captured request replayed inside the window is answered
 * once. Memory is bounded: at most `capacity` signatures; when that many are still live, new
 * requests are refused ('full') rather than older ones forgotten, which would let them replay.
 * Hand-written: a Map in insertion order with expiry is all it needs (an LRU would evict live entries).
 */
export class ReplayGuard {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly capacity = 100_000,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  /** Records a verified request; says whether it was seen before inside its window. */
  check(signature: string, timestampSeconds: number): ReplayVerdict {
    const now = this.nowSeconds();
    this.forgetExpired(now);
    if (this.expiries.has(signature)) return 'replayed';
    if (this.expiries.size >= this.capacity) return 'full';
    this.expiries.set(signature, timestampSeconds + SIGNATURE_WINDOW_SECONDS);
    return 'first';
  }

  get size(): number {
    return this.expiries.size;
  }

  private forgetExpired(now: number): void {
    // Entries arrive roughly in expiry order (timestamps are within the window of arrival), so
    // expired ones gather at the front; a full sweep runs only when the front is live but the
    // map is full, to catch the few that arrived out of order.
    for (const [signature, expiry] of this.expiries) {
      if (expiry >= now) break;
      this.expiries.delete(signature);
    }
    if (this.expiries.size >= this.capacity) {
      for (const [signature, expiry] of this.expiries) if (expiry < now) this.expiries.delete(signature);
    }
  }
}

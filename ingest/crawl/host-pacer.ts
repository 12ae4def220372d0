/** Spaces the requests to each host: at most one starts per `delayMs`, and none while the host asked to wait (Retry-After). */
export interface HostPacer {
  /** Resolves when a request to `host` may start, and books that start. */
  wait(host: string): Promise<void>;
  /** No request to `host` starts before `ms` from now. */
  pause(host: string, ms: number): void;
}

/** A pacer over an injectable clock and sleep (tests run it without waiting). */
export function createHostPacer(
  delayMs: (host: string) => number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = { now: Date.now, sleep: defaultSleep },
): HostPacer {
  const nextStart = new Map<string, number>();
  return {
    async wait(host) {
      const now = clock.now();
      const slot = Math.max(now, nextStart.get(host) ?? 0);
      nextStart.set(host, slot + delayMs(host));
      if (slot > now) await clock.sleep(slot - now);
    },
    pause(host, ms) {
      nextStart.set(host, Math.max(nextStart.get(host) ?? 0, clock.now() + ms));
    },
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

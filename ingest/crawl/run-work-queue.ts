/** A queue that visiting an item may add to: `add` appends, `retry` puts an item back in front. */
export interface WorkQueue<T> {
  add(item: T): void;
  retry(item: T): void;
}

/**
 * Visits every item, `concurrency` at a time, until the queue is empty and no visit is running
 * (a running visit may still add items). A visit that throws stops the run with its error, once
 * the running visits have finished. Hand-written rather than p-queue: the crawl needs only this
 * (and a retry put back in front), in forty lines without another dependency.
 */
export async function runWorkQueue<T>(
  initial: T[],
  concurrency: number,
  visit: (item: T, queue: WorkQueue<T>) => Promise<void>,
): Promise<void> {
  const items = [...initial];
  let running = 0;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const changed = () => {
    wake?.();
    wake = null;
  };
  const queue: WorkQueue<T> = {
    add: (item) => {
      items.push(item);
      changed();
    },
    retry: (item) => {
      items.unshift(item);
      changed();
    },
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure) return;
      const item = items.shift();
      if (item === undefined) {
        if (running === 0) return changed();
        await new Promise<void>((resolve) => {
          const previous = wake;
          wake = () => {
            previous?.();
            resolve();
          };
        });
        continue;
      }
      running++;
      try {
        await visit(item, queue);
      } catch (error) {
        failure ??= { error };
      } finally {
        running--;
        changed();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

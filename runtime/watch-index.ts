export interface WatchIndexOptions<T> {
  /** The generation an ingest last made current (a local index's CURRENT, or the collection's row in the database); null when none. */
  readCurrent: () => Promise<string | null>;
  intervalMs: number;
  /** The generation in use. */
  current: string;
  /** A generation already known not to load (one the start fell back from): not read again. */
  failed?: string;
  /** Loads one whole generation; called when CURRENT names a new one. */
  load: (generation: string) => Promise<T>;
  onReload: (loaded: T, generation: string) => void;
  /** Called once per generation that cannot be loaded (and once for an unreadable CURRENT). */
  onError: (error: unknown, generation: string | null) => void;
}

/**
 * Polls the index's current-generation pointer (CURRENT's few bytes, or one row of the database)
 * and loads the generation it names when an
 * ingest has committed a new one; the caller swaps one reference, so requests see the old index
 * or the new one, never a mix. A generation that fails to load is reported once and not read
 * again (the one in use is kept); a generation replaced while it was loading is not reported,
 * its successor is loaded instead. Returns a stop function.
 */
export function watchIndex<T>(options: WatchIndexOptions<T>): () => void {
  let current = options.current;
  let failed: string | null = options.failed ?? null;
  let busy = false;
  const check = async () => {
    let generation: string | null;
    try {
      generation = await options.readCurrent();
    } catch (error) {
      if (failed !== 'CURRENT') options.onError(error, null);
      failed = 'CURRENT';
      return;
    }
    if (!generation || generation === current || generation === failed) return;
    try {
      const loaded = await options.load(generation);
      current = generation;
      failed = null;
      options.onReload(loaded, generation);
    } catch (error) {
      const now = await options.readCurrent().catch(() => null);
      if (now !== generation) return; // replaced while loading: the next check loads its successor
      failed = generation;
      options.onError(error, generation);
    }
  };
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    await check().finally(() => (busy = false));
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

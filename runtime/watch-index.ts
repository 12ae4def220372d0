import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface WatchIndexOptions<T> {
  indexDir: string;
  intervalMs: number;
  /** The manifest's `createdAt` of the index in use. */
  current: string;
  /** Loads the index again; called when a new one has been swapped into place. */
  load: () => Promise<T>;
  onReload: (loaded: T, createdAt: string) => void;
  onError: (error: unknown) => void;
}

/**
 * Polls `manifest.json` and loads the index again when an ingest has swapped in a new one (its
 * `createdAt` changed). The swap is an atomic rename, so a read sees the old index or the new one
 * whole. A new index that fails to load is reported and the one in use is kept. Returns a stop function.
 */
export function watchIndex<T>(options: WatchIndexOptions<T>): () => void {
  let current = options.current;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const createdAt = await readCreatedAt(options.indexDir);
      if (createdAt && createdAt !== current) {
        const loaded = await options.load();
        current = createdAt;
        options.onReload(loaded, createdAt);
      }
    } catch (error) {
      options.onError(error);
    } finally {
      busy = false;
    }
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function readCreatedAt(indexDir: string): Promise<string | null> {
  try {
    const manifest = JSON.parse(await readFile(join(indexDir, 'manifest.json'), 'utf8')) as { createdAt?: unknown };
    return typeof manifest.createdAt === 'string' ? manifest.createdAt : null;
  } catch {
    return null; // mid-swap or removed: look again next time
  }
}

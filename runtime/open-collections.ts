import type { CollectionSpec } from '../config/collection-spec.js';
import { readCurrentGeneration } from '../store/index-layout.js';
import type { Database } from '../store/postgres/database-pool.js';
import { readCurrentGenerationName } from '../store/postgres/read-generation.js';
import type { EngineRegistry } from './engine-registry.js';
import { openEngine, type OpenedEngine, type OpenEngineOptions } from './open-engine.js';
import { watchIndex } from './watch-index.js';

export interface OpenCollectionsOptions {
  registry: EngineRegistry;
  /** One per collection of the registry, in the order they are opened. */
  specs: CollectionSpec[];
  shared: NonNullable<OpenEngineOptions['shared']>;
  /** With STORE=postgres: the database every collection is read from (one pool for the process). */
  database?: Database;
  /** Told how long each store query took (for /metrics). */
  onQuery?: OpenEngineOptions['onQuery'];
  /** Seconds between checks of each collection's CURRENT; 0: no reloading. */
  reloadSeconds: number;
  /** Lines for the person who started the process (ingests, warnings). */
  log: (line: string) => void;
  /**
   * Told of each generation that could not be loaded, once: at start (the collection is then
   * unavailable) or a new one (`serving`: the collection still answers from the one before).
   */
  onError: (name: string, error: unknown, generation: string | null, serving: boolean) => void;
  /** Told each generation put in place: the first, a reload, or a recovery. */
  onLoaded?: (name: string, engine: OpenedEngine, reloaded: boolean) => void | Promise<void>;
}

/** What opening one collection gave. */
export type CollectionOutcome = { name: string; engine: OpenedEngine } | { name: string; error: unknown };

/**
 * Opens each collection into its holder in the registry, one after the other (each answers as
 * soon as it is in; the default first), building an index that is missing from its folder. A
 * collection that cannot be loaded is marked unavailable (refused by name) and the others go on.
 * Then each one's current generation (CURRENT, or its row in the database) is watched on its own: a new generation is loaded and swapped in
 * whole, and a collection that was unavailable comes back once an ingest commits one that loads.
 * Returns each collection's outcome and a function that stops the watching.
 */
export async function openCollections(options: OpenCollectionsOptions): Promise<{ outcomes: CollectionOutcome[]; stop: () => void }> {
  const { registry } = options;
  const several = options.specs.length > 1;
  const outcomes: CollectionOutcome[] = [];
  const stops: (() => void)[] = [];
  for (const spec of options.specs) {
    // With several collections every line says which one it is about.
    const log = several ? (line: string) => options.log(`[${spec.name}] ${line}`) : options.log;
    let fellBackFrom: string | undefined;
    const open = () =>
      openEngine(spec.config, spec.indexDir, {
        ingestIfMissing: spec.sourceDir,
        requireSameSource: spec.requireSameSource,
        rebuildStale: spec.config.REINGEST === 'auto',
        onFallBack: (generation) => (fellBackFrom = generation),
        shared: options.shared,
        database: options.database,
        collection: spec.name,
        onQuery: options.onQuery,
        log,
      });
    const database = spec.config.STORE === 'postgres' ? options.database : undefined;
    const readCurrent = database ? () => readCurrentGenerationName(database, spec.name) : () => readCurrentGeneration(spec.indexDir);
    let current: OpenedEngine | undefined;
    let failed: string | undefined;
    try {
      current = await open();
      registry.set(spec.name, current);
      outcomes.push({ name: spec.name, engine: current });
      await options.onLoaded?.(spec.name, current, false);
    } catch (error) {
      registry.markUnavailable(spec.name);
      outcomes.push({ name: spec.name, error });
      // The generation that failed is not read again until an ingest commits another.
      failed = (await readCurrent().catch(() => 'CURRENT')) ?? undefined;
      options.onError(spec.name, error, failed ?? null, false);
    }
    if (options.reloadSeconds <= 0) continue;
    stops.push(
      watchIndex<OpenedEngine>({
        readCurrent,
        intervalMs: options.reloadSeconds * 1000,
        current: current?.generation ?? '',
        failed: current ? fellBackFrom : failed,
        load: (generation) => (current ? current.reload(generation) : open()),
        onReload: (loaded) => {
          current = loaded;
          registry.set(spec.name, loaded);
          void options.onLoaded?.(spec.name, loaded, true);
        },
        onError: (error, generation) => options.onError(spec.name, error, generation, current !== undefined),
      }),
    );
  }
  return { outcomes, stop: () => stops.forEach((stop) => stop()) };
}

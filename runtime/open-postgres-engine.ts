import type { Config } from '../config/load-config.js';
import { createEngine } from '../core/engine.js';
import type { EmbedderSetup } from '../embeddings/create-embeddings.js';
import type { ChatModel } from '../core/contracts/chat-model.js';
import type { CorpusCalibration } from '../core/evidence/confidence-calibration.js';
import { IndexMismatchError } from '../store/index-mismatch-error.js';
import { IndexNotFoundError } from '../store/index-not-found-error.js';
import type { Database } from '../store/postgres/database-pool.js';
import { openPostgresStore } from '../store/postgres/postgres-passage-store.js';
import {
  checkGenerationLayout,
  olderLayoutError,
  readCurrentGeneration,
  readGeneration,
  type GenerationRecord,
} from '../store/postgres/read-generation.js';
import type { OpenedEngine, OpenEngineOptions } from './open-engine.js';

/** What an engine over the database is made of, besides the configuration. */
export interface PostgresEngineParts {
  database: Database;
  collection: string;
  embedder: EmbedderSetup;
  chatModel: ChatModel | undefined;
  calibration: CorpusCalibration | undefined;
  /** Told how long each store query took (for /metrics). */
  onQuery?: (operation: string, seconds: number) => void;
}

/**
 * An engine over the collection's current generation in the database (STORE=postgres), built
 * first from `ingestIfMissing` when the collection has none. It reloads by generation name, as
 * the local one does, so a replica swaps a committed generation in whole.
 */
export async function openPostgresEngine(
  config: Config,
  parts: PostgresEngineParts,
  options: OpenEngineOptions = {},
): Promise<OpenedEngine> {
  const log = options.log ?? ((line: string) => console.error(line));
  const { database, collection, embedder } = parts;
  let generation = await readCurrentGeneration(database, collection);
  const source = options.ingestIfMissing;
  const problem = generation && whyNotServed(generation, database, embedder, source, options.requireSameSource === true);
  if (!generation || (problem && options.rebuildStale && source)) {
    if (!source) {
      throw new IndexNotFoundError(
        `The collection ${collection} has no index in the database at ${database.address}: ingest it first (STORE=postgres npm run ingest -- <folder>${collection === 'default' ? '' : ` --collection ${collection}`}).`,
      );
    }
    log(
      problem
        ? `${problem.message.split(' Rebuild')[0].replace(/\.$/, '')}; REINGEST=auto: rebuilding it from ${source} ...`
        : `No index of ${collection} in the database at ${database.address}: building it from ${source} ...`,
    );
    const { ingestWithProgress } = await import('../ingest/ingest-with-progress.js');
    const summary = await ingestWithProgress(config, embedder, source, '', { database, collection });
    log(`Indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s.`);
    generation = (await readCurrentGeneration(database, collection))!;
  } else if (problem) {
    throw problem;
  }
  const over = (record: GenerationRecord): OpenedEngine => ({
    ...createEngine({
      store: openPostgresStore(database, record, { onQuery: parts.onQuery }),
      generation: record.name,
      embedder,
      chatModel: parts.chatModel,
      defaultMode: config.ANSWER_MODE,
      topK: config.TOP_K,
      denseWeight: config.DENSE_WEIGHT,
      minConfidence: config.MIN_CONFIDENCE,
      calibration: parts.calibration,
      ...options.overrides,
    }),
    reload: async (name) => {
      const next = await readGeneration(database, name);
      if (!next) throw new IndexNotFoundError(`The generation ${name} of ${collection} is no longer in the database.`);
      checkGenerationLayout(next, database.address);
      if (!sameEmbedder(next, embedder))
        throw new IndexMismatchError(`The generation ${name} of ${collection} was built ${describeDifference(next, embedder, undefined)}.`);
      return over(next);
    },
  });
  return over(generation);
}

/**
 * Why the current generation cannot be served to this process, or null: its tables have an older
 * layout than this version reads (written before schema version 2), another embedder wrote it, or
 * it was built from another source than the one required.
 */
function whyNotServed(
  generation: GenerationRecord,
  database: Database,
  embedder: EmbedderSetup,
  source: string | undefined,
  requireSameSource: boolean,
): IndexMismatchError | null {
  const older = olderLayoutError(generation, database.address);
  if (older) return older;
  if (sameEmbedder(generation, embedder) && !(requireSameSource && source !== undefined && generation.source !== source)) return null;
  return new IndexMismatchError(
    `The index of ${generation.collection} in the database was built ${describeDifference(generation, embedder, source)}. Rebuild it with: STORE=postgres npm run ingest -- <folder> (or set REINGEST=auto).`,
  );
}

function sameEmbedder(generation: GenerationRecord, embedder: EmbedderSetup): boolean {
  return generation.embedder.name === embedder.identity.name && generation.embedder.dimensions === embedder.identity.dimensions;
}

function describeDifference(generation: GenerationRecord, embedder: EmbedderSetup, source: string | undefined): string {
  if (!sameEmbedder(generation, embedder)) {
    return `by the embedder ${generation.embedder.name} (${generation.embedder.dimensions} dimensions), not ${embedder.identity.name} (${embedder.identity.dimensions})`;
  }
  return `from ${generation.source}, not ${source}`;
}

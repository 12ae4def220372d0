import { resolve } from 'node:path';
import type { Config } from '../config/load-config.js';
import type { ChatModel } from '../core/contracts/chat-model.js';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config-error.js';
import { createEngine, type Engine, type EngineParts } from '../core/engine.js';
import { parseCalibration, type CorpusCalibration } from '../core/evidence/confidence-calibration.js';
import { createEmbeddings, type EmbedderSetup } from '../embeddings/create-embeddings.js';
import { REBUILD_HINT } from '../store/index-files.js';
import { IndexMismatchError } from '../store/index-mismatch-error.js';
import { IndexNotFoundError } from '../store/index-not-found-error.js';
import { loadIndex, type LoadedIndex } from '../store/load-index.js';
import { recoverIndex } from '../store/recover-index.js';
import type { Database } from '../store/postgres/database-pool.js';
import { databaseSettings } from '../config/database-settings.js';
import { openCheckedDatabase } from '../store/postgres/open-checked-database.js';
import { openPostgresEngine } from './open-postgres-engine.js';

/** The configured chat model, or undefined when no OpenAI-compatible endpoint is configured. */
export async function createChatModel(config: Config): Promise<ChatModel | undefined> {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  // Loaded only when configured: the OpenAI client stack costs ~40 MB of memory.
  const { createOpenAIChatModel } = await import('../models/openai-chat-model.js');
  return createOpenAIChatModel({
    model: config.CHAT_MODEL,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    maxRetries: config.MODEL_MAX_RETRIES,
  });
}

export interface OpenEngineOptions {
  /** Build the index from this folder when `indexDir` holds none (no CURRENT and no generation once recovered; damage is never rebuilt over). */
  ingestIfMissing?: string;
  /** Refuse an index built from another folder than `ingestIfMissing` (CORPUS_DIR was set). */
  requireSameSource?: boolean;
  /** Rebuild from `ingestIfMissing` an index this process cannot use: another folder, format or embedder (REINGEST=auto). */
  rebuildStale?: boolean;
  log?: (line: string) => void;
  /** Parts that replace the configured ones (training measures evidence with an untrained model). */
  overrides?: Partial<Pick<EngineParts, 'answerability' | 'minConfidence'>>;
  /** Told the generation CURRENT names (or `CURRENT`, when the pointer is missing or unreadable) when it could not be loaded and a committed one was. */
  onFallBack?: (damagedGeneration: string) => void;
  /** The embedder and chat model, when shared with other collections (runtime/shared-parts.ts); made from `config` otherwise. */
  shared?: { embedder(config: Config): Promise<EmbedderSetup>; chatModel(config: Config): Promise<ChatModel | undefined> };
  /** With STORE=postgres: the database (opened from the settings, and its schema checked, when not given) and the collection to read. */
  database?: Database;
  collection?: string;
  /** Told how long each store query took (for /metrics). */
  onQuery?: (operation: string, seconds: number) => void;
}

/** An engine over one generation (of a local index, or of a collection in the database), which can load another generation with the same parts. */
export interface OpenedEngine extends Engine {
  /** The same engine over another generation of the index (after a re-ingest); the embedder must match. */
  reload(generation: string): Promise<OpenedEngine>;
}

/** Connects the configured parts: embedder, store (the local index or, with STORE=postgres, a collection of the database; built first if asked and missing), chat model. */
export async function openEngine(config: Config, indexDir: string, options: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const log = options.log ?? ((line: string) => console.error(line));
  const embedder = await (options.shared ? options.shared.embedder(config) : createEmbeddings(config, log));
  const calibration = config.CONFIDENCE_CALIBRATION ? await readCalibration(config.CONFIDENCE_CALIBRATION) : undefined;
  if (config.STORE === 'postgres') {
    const database = options.database ?? (await openCheckedDatabase(databaseSettings(config)));
    const chatModel = await (options.shared ? options.shared.chatModel(config) : createChatModel(config));
    const collection = options.collection ?? 'default';
    return openPostgresEngine(config, { database, collection, embedder, chatModel, calibration, onQuery: options.onQuery }, options);
  }
  const cleared = await recoverIndex(indexDir);
  if (cleared.length > 0) log(`Removed what an interrupted ingest left in ${indexDir}: ${cleared.join(', ')}`);
  const source = options.ingestIfMissing;
  const sourceDir = options.requireSameSource ? source : undefined;
  let loaded: LoadedIndex;
  try {
    loaded = await loadIndex(indexDir, embedder.identity, { fallBack: true, sourceDir });
  } catch (error) {
    const missing = IndexNotFoundError.isInstance(error);
    const mismatch = IndexMismatchError.isInstance(error);
    // An index of an older format, built from the very folder it would be rebuilt from, is rebuilt
    // whatever REINGEST says: this version cannot read it, and the new generation replaces nothing else.
    const olderOfSource = mismatch && source !== undefined && sameFolder(error.olderFormatOf, source);
    if (!source || !(missing || olderOfSource || (options.rebuildStale && mismatch))) throw error;
    log(
      missing
        ? `No index at ${indexDir}: building it from ${source} ...`
        : `${error.message.split(' Rebuild')[0]} ${olderOfSource ? 'Rebuilding' : 'REINGEST=auto: rebuilding'} it from ${source} ...`,
    );
    // The ingest stack (splitter, HTML and PDF readers) loads only when an index must be built.
    const { ingestWithProgress } = await import('../ingest/ingest-with-progress.js');
    const summary = await ingestWithProgress(config, embedder, source, indexDir);
    log(`Indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s.`);
    loaded = await loadIndex(indexDir, embedder.identity, { sourceDir });
  }
  if (loaded.fellBackFrom) {
    options.onFallBack?.(loaded.fellBackFrom.generation);
    // The rebuild hint is left out: deleting the index folder, one of its options, would lose the generation served.
    const problem = loaded.fellBackFrom.reason.replace(` ${REBUILD_HINT}`, '').replace(/\.$/, '');
    log(
      `WARNING: ${problem}. Serving the newest intact committed generation ${loaded.generation} instead, until an ingest ` +
        `commits a new one (npm run ingest -- <documents folder>); no generation was removed.`,
    );
  }
  const chatModel = await (options.shared ? options.shared.chatModel(config) : createChatModel(config));
  const over = (index: LoadedIndex): OpenedEngine => ({
    ...createEngine({
      store: index.index,
      generation: index.generation,
      embedder,
      chatModel,
      defaultMode: config.ANSWER_MODE,
      topK: config.TOP_K,
      denseWeight: config.DENSE_WEIGHT,
      minConfidence: config.MIN_CONFIDENCE,
      calibration,
      ...options.overrides,
    }),
    reload: async (generation) => over(await loadIndex(indexDir, embedder.identity, { generation })),
  });
  return over(loaded);
}

/** A calibration file, read at start so a wrong path or a wrong file stops it with the setting's name. */
async function readCalibration(file: string): Promise<CorpusCalibration> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`CONFIDENCE_CALIBRATION=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`CONFIDENCE_CALIBRATION=${file}: is not JSON (${(error as Error).message})`);
  }
  try {
    return parseCalibration(json);
  } catch (error) {
    throw new ConfigError(`CONFIDENCE_CALIBRATION=${file}: ${(error as Error).message}`);
  }
}

/** Whether an index's recorded source is this folder (or this URL). */
function sameFolder(recorded: string | undefined, source: string): boolean {
  if (recorded === undefined) return false;
  const place = (where: string) => (/^https?:\/\//i.test(where) ? where : resolve(where));
  return place(recorded) === place(source);
}

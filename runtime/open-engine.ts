import cliProgress from 'cli-progress';
import type { Config } from '../config/load-config.js';
import type { AnswerDependencies } from '../core/answer-question.js';
import type { ChatModel } from '../core/chat-model.js';
import { createEmbeddings, type EmbedderSetup } from '../embeddings/create-embeddings.js';
import { ingestDocuments, type IngestSummary } from '../ingest/ingest-documents.js';
import { createOpenAIChatModel } from '../models/openai-chat-model.js';
import { IndexNotFoundError } from '../store/index-errors.js';
import { loadSearchIndex } from '../store/index-files.js';

/** Dense share of the fused retrieval score, chosen by measurement per embedder (README, Retrieval). */
export function defaultDenseWeight(config: Config): number {
  return config.DENSE_WEIGHT ?? (config.EMBEDDINGS === 'local' ? 0 : 0.5);
}

/** The configured chat model, or undefined when no OpenAI-compatible endpoint is configured. */
export function createChatModel(config: Config): ChatModel | undefined {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  return createOpenAIChatModel({
    model: config.CHAT_MODEL,
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    maxRetries: config.MODEL_MAX_RETRIES,
  });
}

/** Runs an ingest with a progress bar on a terminal. */
export async function ingestWithProgress(config: Config, setup: EmbedderSetup, sourceDir: string, indexDir: string): Promise<IngestSummary> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'Embedding {bar} {value}/{total} chunks | {eta_formatted} left', clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null;
  return ingestDocuments({
    sourceDir,
    indexDir,
    embeddings: setup.embeddings,
    embedder: setup.identity,
    chunking: { chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP },
    onProgress: ({ embedded, total }) => {
      if (!bar) return;
      if (embedded === 0) bar.start(total, 0);
      else bar.update(embedded);
      if (embedded === total) bar.stop();
    },
  });
}

export interface OpenEngineOptions {
  /** Build the index from this folder when `indexDir` holds none. */
  ingestIfMissing?: string;
  log?: (line: string) => void;
}

/** Connects the real parts: embedder, index (built first if asked and missing), chat model. */
export async function openEngine(config: Config, indexDir: string, options: OpenEngineOptions = {}): Promise<AnswerDependencies> {
  const log = options.log ?? ((line: string) => console.error(line));
  const setup = await createEmbeddings(config, log);
  let index;
  try {
    index = await loadSearchIndex(indexDir, setup.embeddings, setup.identity);
  } catch (error) {
    if (!(IndexNotFoundError.isInstance(error) && options.ingestIfMissing)) throw error;
    log(`No index at ${indexDir}: building it from ${options.ingestIfMissing} ...`);
    const summary = await ingestWithProgress(config, setup, options.ingestIfMissing, indexDir);
    log(`Indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s.`);
    index = await loadSearchIndex(indexDir, setup.embeddings, setup.identity);
  }
  return {
    index,
    embeddings: setup.embeddings,
    embedSync: setup.embedSync,
    chatModel: createChatModel(config),
    defaultMode: config.ANSWER_MODE,
    topK: config.TOP_K,
    denseWeight: defaultDenseWeight(config),
  };
}

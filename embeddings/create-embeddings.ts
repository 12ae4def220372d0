import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Config } from '../config/load-config.js';
import type { EmbedderIdentity } from '../core/passage-index.js';
import { LocalWordEmbeddings } from './local-word-embeddings.js';
import { ensureWordVectorCache, loadWordVectors } from './word-vectors.js';

export interface EmbedderSetup {
  embeddings: EmbeddingsInterface;
  identity: EmbedderIdentity;
  /** Fast synchronous embedding for sentence scoring; only the local embedder has one. */
  embedSync?: (text: string) => number[];
}

/** Connects the embedder the configuration names: local word vectors, or OpenAI-compatible. */
export async function createEmbeddings(config: Config, log: (line: string) => void = console.error): Promise<EmbedderSetup> {
  if (config.EMBEDDINGS === 'local') {
    ensureWordVectorCache(config.WORD_VECTORS_CACHE, log);
    const local = new LocalWordEmbeddings(loadWordVectors(config.WORD_VECTORS_CACHE));
    return {
      embeddings: local,
      identity: { name: LocalWordEmbeddings.embedderName, dimensions: local.dimensions },
      embedSync: (text) => local.embedText(text),
    };
  }
  // Loaded only when used: the OpenAI client stack costs ~40 MB of memory in an offline server.
  const { OpenAIEmbeddings } = await import('@langchain/openai');
  const embeddings = new OpenAIEmbeddings({
    model: config.EMBEDDING_MODEL,
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    maxRetries: config.MODEL_MAX_RETRIES,
    timeout: config.MODEL_TIMEOUT_MS,
    configuration: config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : undefined,
  });
  // The dimension count identifies the index; ask the server rather than keep a table of models.
  const probe = await embeddings.embedQuery('dimension probe');
  return { embeddings, identity: { name: `openai:${config.EMBEDDING_MODEL}`, dimensions: probe.length } };
}

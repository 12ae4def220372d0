import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Config } from '../config/load-config.js';
import type { EmbedderIdentity } from '../core/contracts/passage-store.js';
import type { WordRole } from '../core/question/question-terms.js';
import { LocalWordEmbeddings } from './local-word-embeddings.js';
import { loadWordRoles } from './word-roles.js';
import { ensureWordVectorCache, loadWordVectors } from './word-vectors.js';

export interface EmbedderSetup {
  embeddings: EmbeddingsInterface;
  identity: EmbedderIdentity;
  /** Fast synchronous embedding for sentence scoring; only the local embedder has one. */
  embedSync?: (text: string) => number[];
  /** How rare a word is in general English (0..1); only the local embedder knows. */
  wordRarity?: (word: string) => number;
  /** The part each word of a question plays (name, topic, framing), weighing with wordRarity the words the sources never use. */
  wordRoles?: (text: string) => ReadonlyMap<string, WordRole>;
  /** Dense share of the fused retrieval score, chosen by measurement for this embedder (docs/how-it-answers.md, Retrieval). */
  denseWeight: number;
}

/** The offline word-vector embedder, its cache built first when missing. */
export function createLocalEmbedder(cacheFile: string, log: (line: string) => void = console.error): EmbedderSetup {
  ensureWordVectorCache(cacheFile, log);
  const local = new LocalWordEmbeddings(loadWordVectors(cacheFile));
  return {
    embeddings: local,
    identity: { name: LocalWordEmbeddings.embedderName, dimensions: local.dimensions },
    embedSync: (text) => local.embedText(text),
    wordRarity: (word) => local.wordRarity(word),
    wordRoles: loadWordRoles(),
    // Every positive weight of these word vectors lowered ranking on the eval sets.
    denseWeight: 0,
  };
}

/** Connects the embedder the configuration names: local word vectors, or OpenAI-compatible. */
export async function createEmbeddings(config: Config, log: (line: string) => void = console.error): Promise<EmbedderSetup> {
  if (config.EMBEDDINGS === 'local') return createLocalEmbedder(config.WORD_VECTORS_CACHE, log);
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
  return { embeddings, identity: { name: `openai:${config.EMBEDDING_MODEL}`, dimensions: probe.length }, denseWeight: 0.5 };
}

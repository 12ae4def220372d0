import { Embeddings } from '@langchain/core/embeddings';
import { contentTerms } from '../../core/text/tokenize.js';
import type { EmbedderSetup } from '../../embeddings/create-embeddings.js';

const DIMENSIONS = 64;

/**
 * A deterministic bag-of-stems embedder for tests: each content term hashed into one of 64
 * dimensions, L2-normalised. Texts sharing terms point alike; no word vectors, no cache.
 */
export class HashingEmbeddings extends Embeddings {
  static readonly identity = { name: 'test:hashing-64', dimensions: DIMENSIONS };

  constructor() {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedText(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }

  embedText(text: string): number[] {
    const vector = new Array<number>(DIMENSIONS).fill(0);
    for (const term of contentTerms(text)) vector[hash(term) % DIMENSIONS] += 1;
    const norm = Math.hypot(...vector);
    return norm > 0 ? vector.map((x) => x / norm) : vector;
  }
}

/** The hashing embedder as an engine's embedder. */
export function hashingEmbedder(): EmbedderSetup {
  const embeddings = new HashingEmbeddings();
  return { embeddings, identity: HashingEmbeddings.identity, embedSync: (text) => embeddings.embedText(text), denseWeight: 0 };
}

function hash(term: string): number {
  let h = 2166136261;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 16777619);
  return h >>> 0;
}

import type { Chunk, StoredDocument } from './types.js';

/** A chunk position in the index with a retriever's score (higher is better). */
export interface ScoredChunk {
  chunkIndex: number;
  score: number;
}

/** Which embedder built an index; a server with another embedder must not load it. */
export interface EmbedderIdentity {
  name: string;
  dimensions: number;
}

/** What retrieval needs of a loaded index; implemented in store/, faked in tests. */
export interface PassageIndex {
  embedder: EmbedderIdentity;
  documents: ReadonlyMap<string, StoredDocument>;
  chunks: readonly Chunk[];
  /** BM25 over the chunks' stemmed content terms; `termWeight` scales each query term (stemmed). */
  searchLexical(query: string, limit: number, termWeight?: (term: string) => number): ScoredChunk[];
  /** Nearest chunks by cosine similarity (1 - distance). */
  searchDense(vector: number[], limit: number): Promise<ScoredChunk[]>;
  /** The stored embedding (unit length) of the chunk with this id, if the index has it. */
  vectorOf(chunkId: string): Float32Array | undefined;
}

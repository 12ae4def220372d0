import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import MiniSearch, { type Options } from 'minisearch';
import type { EmbedderIdentity, PassageIndex, ScoredChunk } from '../core/passage-index.js';
import { isContentWord, stemWord, wordTokens } from '../core/tokenize.js';
import type { Chunk, StoredDocument } from '../core/types.js';

/** Everything an index holds; `vectors` has one row of `embedder.dimensions` per chunk. */
export interface IndexContents {
  embedder: EmbedderIdentity;
  documents: StoredDocument[];
  chunks: Chunk[];
  vectors: Float32Array;
}

/** An index ready to search, with the parts that persist. */
export interface SearchIndex extends PassageIndex {
  contents: IndexContents;
  lexical: MiniSearch;
  dense: HNSWLib;
}

/** MiniSearch settings: our tokens, stopwords out, Porter stems, so BM25 matches word forms. */
export const LEXICAL_OPTIONS: Options = {
  idField: 'id',
  fields: ['text'],
  tokenize: (text) => wordTokens(text),
  processTerm: (term) => (isContentWord(term) ? stemWord(term) : null),
  searchOptions: { combineWith: 'OR' },
};

/** Builds the BM25 and HNSW structures over the given contents. */
export async function createSearchIndex(contents: IndexContents, embeddings: EmbeddingsInterface): Promise<SearchIndex> {
  const lexical = new MiniSearch(LEXICAL_OPTIONS);
  lexical.addAll(contents.chunks.map((chunk, id) => ({ id, text: chunk.text })));
  const dense = new HNSWLib(embeddings, { space: 'cosine', numDimensions: contents.embedder.dimensions });
  if (contents.chunks.length > 0) {
    const rows = contents.chunks.map((_, i) => Array.from(vectorRow(contents, i)));
    await dense.addVectors(rows, contents.chunks.map((_, i) => new Document({ pageContent: '', metadata: { i } })));
  }
  return assembleSearchIndex(contents, lexical, dense);
}

/** Wraps loaded or built parts as a PassageIndex. */
export function assembleSearchIndex(contents: IndexContents, lexical: MiniSearch, dense: HNSWLib): SearchIndex {
  const documents = new Map(contents.documents.map((document) => [document.docId, document]));
  const count = contents.chunks.length;
  const positions = new Map(contents.chunks.map((chunk, i) => [chunk.chunkId, i]));
  return {
    contents,
    lexical,
    dense,
    embedder: contents.embedder,
    documents,
    chunks: contents.chunks,
    vectorOf: (chunkId) => {
      const position = positions.get(chunkId);
      return position === undefined ? undefined : vectorRow(contents, position);
    },
    searchLexical(query, limit, termWeight) {
      return lexical
        .search(query, termWeight ? { boostTerm: (term) => termWeight(term) } : {})
        .slice(0, limit)
        .map((result) => ({ chunkIndex: result.id as number, score: result.score }));
    },
    async searchDense(vector, limit) {
      const k = Math.min(limit, count);
      if (k === 0) return [];
      dense.index.setEf(Math.max(64, k));
      const results = await dense.similaritySearchVectorWithScore(vector, k);
      return results.map(([document, distance]): ScoredChunk => ({
        chunkIndex: document.metadata.i as number,
        score: 1 - distance,
      }));
    },
  };
}

/** The embedding of chunk `i`. */
export function vectorRow(contents: IndexContents, i: number): Float32Array {
  const dimensions = contents.embedder.dimensions;
  return contents.vectors.subarray(i * dimensions, (i + 1) * dimensions);
}

import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import MiniSearch, { type Options } from 'minisearch';
import { HEADING_FIELD_BOOST, headingFieldText } from '../core/heading-field.js';
import type { EmbedderIdentity, PassageStore, ScoredChunk } from '../core/passage-store.js';
import { documentSummary, storedChunk } from '../core/stored-chunk.js';
import { contentTerms, isContentWord, stemWord, wordTokens } from '../core/tokenize.js';
import type { Chunk, StoredDocument } from '../core/types.js';

/** Everything an index holds; `vectors` has one row of `embedder.dimensions` per chunk. */
export interface IndexContents {
  embedder: EmbedderIdentity;
  documents: StoredDocument[];
  chunks: Chunk[];
  vectors: Float32Array;
}

/** The local store: BM25 (minisearch) and HNSW (hnswlib) in memory, with the parts that persist. */
export interface SearchIndex extends PassageStore {
  contents: IndexContents;
  lexical: MiniSearch;
  dense: HNSWLib;
}

/**
 * MiniSearch settings: our tokens, stopwords out, Porter stems, so BM25 matches word forms; a
 * chunk's text and, boosted, its heading field (core/heading-field.ts).
 */
export const LEXICAL_OPTIONS: Options = {
  idField: 'id',
  fields: ['text', 'heading'],
  tokenize: (text) => wordTokens(text),
  processTerm: (term) => (isContentWord(term) ? stemWord(term) : null),
  searchOptions: { combineWith: 'OR', boost: { heading: HEADING_FIELD_BOOST } },
};

/** Builds the BM25 and HNSW structures over the given contents. */
export async function createSearchIndex(contents: IndexContents, embeddings: EmbeddingsInterface): Promise<SearchIndex> {
  const lexical = new MiniSearch(LEXICAL_OPTIONS);
  const documents = new Map(contents.documents.map((document) => [document.docId, document]));
  lexical.addAll(
    contents.chunks.map((chunk, id) => ({ id, text: chunk.text, heading: headingFieldText(documents.get(chunk.docId)!, chunk) })),
  );
  const dense = new HNSWLib(embeddings, { space: 'cosine', numDimensions: contents.embedder.dimensions });
  if (contents.chunks.length > 0) {
    const rows = contents.chunks.map((_, i) => Array.from(vectorRow(contents, i)));
    await dense.addVectors(
      rows,
      contents.chunks.map((_, i) => new Document({ pageContent: '', metadata: { i } })),
    );
  }
  return assembleSearchIndex(contents, lexical, dense);
}

/** Wraps loaded or built parts as a PassageStore; term frequencies, unless given, are counted once, on first use. */
export function assembleSearchIndex(
  contents: IndexContents,
  lexical: MiniSearch,
  dense: HNSWLib,
  termFrequencies?: Map<string, number>,
): SearchIndex {
  const documents = new Map(contents.documents.map((document) => [document.docId, document]));
  const { chunks } = contents;
  const positions = new Map(chunks.map((chunk, i) => [chunk.chunkId, i]));
  const chunkCounts = new Map<string, number>();
  for (const chunk of chunks) chunkCounts.set(chunk.docId, (chunkCounts.get(chunk.docId) ?? 0) + 1);
  let frequencies = termFrequencies;
  const known = (chunkIds: string[]) =>
    chunkIds.filter((chunkId) => positions.has(chunkId)).map((chunkId) => [chunkId, positions.get(chunkId)!] as const);
  return {
    contents,
    lexical,
    dense,
    embedder: contents.embedder,
    async searchLexical(terms, limit) {
      // The terms are analysed already: minisearch takes them as they are, each with its weight.
      const query = terms.map(({ term }) => term);
      return lexical
        .search(query.join(' '), { tokenize: () => query, processTerm: (term) => term, boostTerm: (_term, i) => terms[i].weight })
        .slice(0, limit)
        .map((result) => ({ chunkId: chunks[result.id as number].chunkId, score: result.score }));
    },
    async searchDense(vector, limit) {
      const k = Math.min(limit, chunks.length);
      if (k === 0) return [];
      dense.index.setEf(Math.max(64, k));
      const results = await dense.similaritySearchVectorWithScore(vector, k);
      return results.map(([document, distance]): ScoredChunk => ({
        chunkId: chunks[document.metadata.i as number].chunkId,
        score: 1 - distance,
      }));
    },
    async getChunks(chunkIds) {
      return known(chunkIds).map(([, i]) => storedChunk(chunks[i], documents.get(chunks[i].docId)!));
    },
    async getVectors(chunkIds) {
      return new Map(known(chunkIds).map(([chunkId, i]) => [chunkId, vectorRow(contents, i)]));
    },
    async getDocument(docId) {
      return documents.get(docId);
    },
    async listDocuments() {
      return contents.documents.map((document) => documentSummary(document, chunkCounts.get(document.docId) ?? 0));
    },
    async getTermCounts(terms) {
      const counted = (frequencies ??= documentFrequencies(chunks));
      return { chunkCount: chunks.length, documentFrequency: new Map(terms.map((term) => [term, counted.get(term) ?? 0])) };
    },
  };
}

/** In how many chunks each analysed term occurs. */
function documentFrequencies(chunks: Chunk[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const chunk of chunks) {
    for (const term of new Set(contentTerms(chunk.text))) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  }
  return frequencies;
}

/** The embedding of chunk `i`. */
export function vectorRow(contents: IndexContents, i: number): Float32Array {
  const dimensions = contents.embedder.dimensions;
  return contents.vectors.subarray(i * dimensions, (i + 1) * dimensions);
}

import hnswlib from 'hnswlib-node';
import { headingFieldText } from '../core/chunks/heading-field.js';
import type { DocumentSummary, EmbedderIdentity, PassageStore, ScoredChunk, StoredChunk } from '../core/contracts/passage-store.js';
import type { Chunk, StoredDocument } from '../core/contracts/types.js';
import { memoryTexts, type DocumentTexts } from './document-texts.js';
import { buildLexicalIndex, type LexicalReuse } from './lexical/build-lexical-index.js';
import { fieldDocumentFrequency, type LexicalIndex } from './lexical/lexical-index.js';
import { searchLexicalIndex } from './lexical/search-lexical-index.js';

const { HierarchicalNSW } = hnswlib;
/** hnswlib's HNSW index. */
export type DenseIndex = InstanceType<typeof HierarchicalNSW>;

/** Everything an index holds, in memory, as an ingest builds it; `vectors` has one row of `embedder.dimensions` per chunk. */
export interface IndexContents {
  embedder: EmbedderIdentity;
  documents: StoredDocument[];
  chunks: Chunk[];
  vectors: Float32Array;
}

/** A document as the store lists it; its chunks are positions firstChunk .. firstChunk + chunks - 1. */
export type DocumentEntry = DocumentSummary;

/** What a store is assembled from, whether just built or loaded from files. */
export interface StoreParts {
  embedder: EmbedderIdentity;
  documents: DocumentEntry[];
  /** start, end of chunk i at 2i, 2i + 1 (offsets into its document's text). */
  chunkBounds: Uint32Array;
  /** Each document's text and blocks, by position in `documents`. */
  texts: DocumentTexts;
  lexical: LexicalIndex;
  dense: DenseIndex;
}

/** The local store: compact BM25 postings and HNSW (hnswlib) in memory, document text and blocks in memory or on disk. */
export interface SearchIndex extends PassageStore {
  parts: StoreParts;
  chunkCount: number;
  /** The id (`docId#n`) of the chunk at a position. */
  chunkIdAt(position: number): string;
}

/** HNSW build settings: hnswlib's defaults (as LangChain's HNSWLib used them), so dense ranking is unchanged. */
export const HNSW_SETTINGS = { m: 16, efConstruction: 200, seed: 100 };

/** Builds the BM25 postings and the HNSW graph over the given contents; `reuse` copies unchanged chunks' postings. */
export function createSearchIndex(contents: IndexContents, reuse?: LexicalReuse): SearchIndex {
  const lexical = buildLexicalIndex(lexicalFieldTexts(contents), reuse);
  return searchIndexOf(contents, lexical, buildDenseIndex(contents.vectors, contents.embedder.dimensions));
}

/**
 * What BM25 indexes of each chunk: its text, and its heading field (core/chunks/heading-field.ts: the
 * document's path and the headings over the chunk), boosted.
 */
export function lexicalFieldTexts(contents: Pick<IndexContents, 'documents' | 'chunks'>): { text: string[]; heading: string[] } {
  const documents = new Map(contents.documents.map((document) => [document.docId, document]));
  return {
    text: contents.chunks.map((chunk) => chunk.text),
    heading: contents.chunks.map((chunk) => headingFieldText(documents.get(chunk.docId)!, chunk)),
  };
}

/** A store over in-memory contents and search structures built from them. */
export function searchIndexOf(contents: IndexContents, lexical: LexicalIndex, dense: DenseIndex): SearchIndex {
  return assembleSearchIndex({ ...contentParts(contents), lexical, dense });
}

/** The document and chunk tables of in-memory contents, texts and blocks read from memory (`contents.documents`). */
export function contentParts(contents: IndexContents): Omit<StoreParts, 'lexical' | 'dense'> {
  const chunkBounds = new Uint32Array(contents.chunks.length * 2);
  contents.chunks.forEach((chunk, i) => {
    chunkBounds[2 * i] = chunk.start;
    chunkBounds[2 * i + 1] = chunk.end;
  });
  const chunkCounts = new Map<string, number>();
  for (const chunk of contents.chunks) chunkCounts.set(chunk.docId, (chunkCounts.get(chunk.docId) ?? 0) + 1);
  return {
    embedder: contents.embedder,
    documents: contents.documents.map(({ docId, path, url, title, kind, pages, hash, text }) => ({
      docId,
      path,
      url,
      title,
      kind,
      pages,
      hash,
      characters: text.length,
      chunks: chunkCounts.get(docId) ?? 0,
    })),
    chunkBounds,
    texts: memoryTexts(contents.documents),
  };
}

/** An HNSW graph (cosine) over rows of `dimensions`; labels are chunk positions. */
export function buildDenseIndex(vectors: Float32Array, dimensions: number): DenseIndex {
  const count = vectors.length / dimensions;
  const dense = new HierarchicalNSW('cosine', dimensions);
  dense.initIndex(Math.max(count, 1), HNSW_SETTINGS.m, HNSW_SETTINGS.efConstruction, HNSW_SETTINGS.seed);
  for (let i = 0; i < count; i++) dense.addPoint(Array.from(vectorRow(vectors, dimensions, i)), i);
  return dense;
}

/** Wraps built or loaded parts as a PassageStore. */
export function assembleSearchIndex(parts: StoreParts): SearchIndex {
  const { documents, chunkBounds, texts, lexical, dense } = parts;
  const chunkCount = chunkBounds.length / 2;
  const documentOf = new Uint32Array(chunkCount);
  const firstChunk = new Uint32Array(documents.length + 1);
  const positionOf = new Map<string, number>();
  documents.forEach((document, d) => {
    positionOf.set(document.docId, d);
    firstChunk[d + 1] = firstChunk[d] + document.chunks;
    documentOf.fill(d, firstChunk[d], firstChunk[d + 1]);
  });
  const chunkIdAt = (i: number) => `${documents[documentOf[i]].docId}#${i - firstChunk[documentOf[i]]}`;
  // A chunk id is `docId#n`: its position is the document's first chunk plus n.
  const chunkPosition = (chunkId: string): number | undefined => {
    const hash = chunkId.lastIndexOf('#');
    const d = positionOf.get(chunkId.slice(0, hash));
    const ordinal = Number(chunkId.slice(hash + 1));
    if (hash < 0 || d === undefined || !Number.isInteger(ordinal) || ordinal < 0 || ordinal >= documents[d].chunks) return undefined;
    return firstChunk[d] + ordinal;
  };
  const known = (chunkIds: string[]) =>
    chunkIds.flatMap((chunkId) => {
      const i = chunkPosition(chunkId);
      return i === undefined ? [] : [[chunkId, i] as const];
    });
  /** Whether `[start, end)` lies within document `d` (the port's getText rule). */
  const validRange = (d: number, start: number, end: number) =>
    Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= documents[d].characters;
  const [body] = lexical.fields;
  return {
    parts,
    chunkCount,
    chunkIdAt,
    embedder: parts.embedder,
    async searchLexical(terms, limit) {
      return searchLexicalIndex(lexical, terms, limit).map(({ chunk, score }) => ({ chunkId: chunkIdAt(chunk), score }));
    },
    async searchDense(vector, limit) {
      const k = Math.min(limit, chunkCount);
      if (k === 0) return [];
      dense.setEf(Math.max(64, k));
      const { neighbors, distances } = dense.searchKnn(vector, k);
      return neighbors.map((i, n): ScoredChunk => ({ chunkId: chunkIdAt(i), score: 1 - distances[n] }));
    },
    async getChunks(chunkIds) {
      // Each chunk reads its own text and the blocks it carries (core/chunks/stored-chunk.ts), never its whole document.
      return Promise.all(
        known(chunkIds).map(async ([chunkId, i]): Promise<StoredChunk> => {
          const d = documentOf[i];
          const { docId, title, kind, path, url } = documents[d];
          const start = chunkBounds[2 * i];
          const end = chunkBounds[2 * i + 1];
          const [text, { blocks, framing, place }] = await Promise.all([texts.text(d, start, end), texts.chunkParts(i, d, start, end)]);
          return {
            chunkId,
            docId,
            start,
            end,
            text,
            title,
            kind,
            path,
            url,
            page: place?.page ?? null,
            headingPath: place?.headingPath ?? [],
            blocks,
            framing,
          };
        }),
      );
    },
    async getSummary(docId) {
      const d = positionOf.get(docId);
      return d === undefined ? undefined : { ...documents[d] };
    },
    async getText(docId, start, end) {
      const d = positionOf.get(docId);
      return d === undefined || !validRange(d, start, end) ? undefined : texts.text(d, start, end);
    },
    async getBlocks(docId, start, end) {
      const d = positionOf.get(docId);
      if (d === undefined) return undefined;
      if (Number.isNaN(start) || Number.isNaN(end)) return [];
      // Offsets outside the text select what the nearest inside would.
      const characters = documents[d].characters;
      return texts.blocks(d, Math.min(Math.max(start, 0), characters), Math.min(Math.max(end, 0), characters));
    },
    async listDocuments() {
      return documents.map((document) => ({ ...document }));
    },
    async getTermCounts(terms) {
      return {
        chunkCount,
        documentFrequency: new Map(terms.map((term) => [term, body ? fieldDocumentFrequency(body, term) : 0])),
      };
    },
  };
}

/** Row `i` of a flat array of vectors. */
export function vectorRow(vectors: Float32Array, dimensions: number, i: number): Float32Array {
  return vectors.subarray(i * dimensions, (i + 1) * dimensions);
}

import { chunkText } from '../../core/chunk-text.js';
import type {
  DocumentSummary,
  EmbedderIdentity,
  PassageStore,
  ScoredChunk,
  StoredChunk,
  TermCounts,
  WeightedTerm,
} from '../../core/passage-store.js';
import { cosine } from '../../core/score-units.js';
import { contentTerms } from '../../core/tokenize.js';
import type { Chunk, StoredDocument } from '../../core/types.js';
import { HashingEmbeddings } from './hashing-embeddings.js';

/** Okapi BM25 constants (the textbook ones; the fake need not rank like minisearch, only well). */
const K1 = 1.2;
const B = 0.75;

/**
 * A PassageStore held in plain maps, for core tests: a textbook BM25 over core's analyser, brute
 * force cosine search, counts computed up front. No ingest, no files, no word vectors. The
 * documents and chunks are taken as given, so a test can hand it a store gone wrong.
 */
export class InMemoryPassageStore implements PassageStore {
  private readonly documents: Map<string, StoredDocument>;
  private readonly chunks: Map<string, Chunk>;
  private readonly chunkList: Chunk[];
  private readonly terms = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();
  private readonly averageLength: number;

  constructor(
    readonly embedder: EmbedderIdentity,
    documents: StoredDocument[],
    chunks: Chunk[],
    private readonly vectors: Map<string, Float32Array>,
  ) {
    this.documents = new Map(documents.map((d) => [d.docId, d]));
    this.chunks = new Map(chunks.map((c) => [c.chunkId, c]));
    this.chunkList = chunks;
    for (const chunk of chunks) {
      const terms = contentTerms(chunk.text);
      this.lengths.set(chunk.chunkId, terms.length);
      for (const term of terms) {
        const postings = this.terms.get(term) ?? new Map<string, number>();
        postings.set(chunk.chunkId, (postings.get(chunk.chunkId) ?? 0) + 1);
        this.terms.set(term, postings);
      }
    }
    this.averageLength = chunks.length ? [...this.lengths.values()].reduce((a, b) => a + b, 0) / chunks.length : 0;
  }

  /** Chunks `documents` as ingest would (same splitter and offsets) and embeds them with the hashing embedder. */
  static async fromDocuments(
    documents: { docId: string; title: string; text: string }[],
    chunking = { chunkSize: 1000, chunkOverlap: 200 },
  ): Promise<InMemoryPassageStore> {
    const embeddings = new HashingEmbeddings();
    const stored = documents.map((d) => ({ ...d, hash: '' }));
    const chunks = (await Promise.all(stored.map((d) => chunkText(d.docId, d.text, chunking)))).flat();
    const vectors = new Map(chunks.map((c) => [c.chunkId, Float32Array.from(embeddings.embedText(c.text))]));
    return new InMemoryPassageStore(HashingEmbeddings.identity, stored, chunks, vectors);
  }

  /** A copy whose stored text of `docId` no longer matches its chunks: a store gone wrong, for tests of verification. */
  withDocumentText(docId: string, text: string): InMemoryPassageStore {
    const documents = [...this.documents.values()].map((d) => (d.docId === docId ? { ...d, text } : d));
    return new InMemoryPassageStore(this.embedder, documents, this.chunkList, this.vectors);
  }

  async searchLexical(terms: WeightedTerm[], limit: number): Promise<ScoredChunk[]> {
    const scores = new Map<string, number>();
    for (const { term, weight } of terms) {
      const postings = this.terms.get(term);
      if (!postings) continue;
      const idf = Math.log(1 + (this.chunks.size - postings.size + 0.5) / (postings.size + 0.5));
      for (const [chunkId, frequency] of postings) {
        const norm = frequency + K1 * (1 - B + (B * this.lengths.get(chunkId)!) / this.averageLength);
        scores.set(chunkId, (scores.get(chunkId) ?? 0) + weight * idf * ((frequency * (K1 + 1)) / norm));
      }
    }
    return ranked(scores, limit);
  }

  async searchDense(vector: number[], limit: number): Promise<ScoredChunk[]> {
    const scores = new Map<string, number>();
    for (const [chunkId, stored] of this.vectors) scores.set(chunkId, cosine(vector, stored));
    return ranked(scores, limit);
  }

  async getChunks(chunkIds: string[]): Promise<StoredChunk[]> {
    return chunkIds
      .map((chunkId) => this.chunks.get(chunkId))
      .filter((chunk): chunk is Chunk => chunk !== undefined)
      .map((chunk) => ({ ...chunk, title: this.documents.get(chunk.docId)?.title ?? chunk.docId }));
  }

  async getVectors(chunkIds: string[]): Promise<Map<string, Float32Array>> {
    return new Map(chunkIds.filter((chunkId) => this.vectors.has(chunkId)).map((chunkId) => [chunkId, this.vectors.get(chunkId)!]));
  }

  async getDocument(docId: string): Promise<StoredDocument | undefined> {
    return this.documents.get(docId);
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    return [...this.documents.values()].map(({ docId, title, text }) => ({ docId, title, characters: text.length }));
  }

  async getTermCounts(terms: string[]): Promise<TermCounts> {
    return { chunkCount: this.chunks.size, documentFrequency: new Map(terms.map((term) => [term, this.terms.get(term)?.size ?? 0])) };
  }
}

function ranked(scores: Map<string, number>, limit: number): ScoredChunk[] {
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([chunkId, score]) => ({ chunkId, score }));
}

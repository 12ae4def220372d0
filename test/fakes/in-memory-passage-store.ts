import { createHash } from 'node:crypto';
import { HEADING_FIELD_BOOST, headingFieldText } from '../../core/chunks/heading-field.js';
import type {
  DocumentSummary,
  EmbedderIdentity,
  PassageStore,
  ScoredChunk,
  StoredChunk,
  TermCounts,
  WeightedTerm,
} from '../../core/contracts/passage-store.js';
import { blocksInRange } from '../../core/chunks/place-in-document.js';
import { documentSummary, sliceText, storedChunk } from '../../core/chunks/stored-chunk.js';
import { cosine } from '../../core/units/score-units.js';
import { contentTerms } from '../../core/text/tokenize.js';
import type { Block, Chunk, StoredDocument } from '../../core/contracts/types.js';
import { chunkDocument } from '../../ingest/chunk-document.js';
import { readDocument } from '../../ingest/read-document.js';
import { HashingEmbeddings } from './hashing-embeddings.js';

/** Okapi BM25 constants (the textbook ones; the fake need not rank like minisearch, only well). */
const K1 = 1.2;
const B = 0.75;

/** One field's postings and lengths, scored with textbook BM25. */
class Bm25Field {
  readonly terms = new Map<string, Map<string, number>>();
  private readonly lengths = new Map<string, number>();
  private averageLength = 0;

  constructor(texts: Map<string, string>) {
    for (const [chunkId, text] of texts) {
      const terms = contentTerms(text);
      this.lengths.set(chunkId, terms.length);
      for (const term of terms) {
        const postings = this.terms.get(term) ?? new Map<string, number>();
        postings.set(chunkId, (postings.get(chunkId) ?? 0) + 1);
        this.terms.set(term, postings);
      }
    }
    this.averageLength = texts.size ? [...this.lengths.values()].reduce((a, b) => a + b, 0) / texts.size : 0;
  }

  /** Adds `boost` × BM25 of the weighted terms to each matching chunk's score. */
  score(terms: WeightedTerm[], chunkCount: number, boost: number, scores: Map<string, number>): void {
    for (const { term, weight } of terms) {
      const postings = this.terms.get(term);
      if (!postings) continue;
      const idf = Math.log(1 + (chunkCount - postings.size + 0.5) / (postings.size + 0.5));
      for (const [chunkId, frequency] of postings) {
        const norm = frequency + K1 * (1 - B + (B * this.lengths.get(chunkId)!) / (this.averageLength || 1));
        scores.set(chunkId, (scores.get(chunkId) ?? 0) + boost * weight * idf * ((frequency * (K1 + 1)) / norm));
      }
    }
  }
}

/**
 * A PassageStore held in plain maps, for core tests: a textbook BM25 over core's analyser (text
 * and boosted heading field), brute force cosine search, counts computed up front. No index
 * files, no word vectors. The documents and chunks are taken as given, so a test can hand it a
 * store gone wrong.
 */
export class InMemoryPassageStore implements PassageStore {
  private readonly documents: Map<string, StoredDocument>;
  private readonly chunks: Map<string, Chunk>;
  private readonly chunkList: Chunk[];
  private readonly text: Bm25Field;
  private readonly heading: Bm25Field;

  constructor(
    readonly embedder: EmbedderIdentity,
    documents: StoredDocument[],
    chunks: Chunk[],
    private readonly vectors: Map<string, Float32Array>,
  ) {
    this.documents = new Map(documents.map((d) => [d.docId, d]));
    this.chunks = new Map(chunks.map((c) => [c.chunkId, c]));
    this.chunkList = chunks;
    this.text = new Bm25Field(new Map(chunks.map((chunk) => [chunk.chunkId, chunk.text])));
    this.heading = new Bm25Field(
      new Map(chunks.map((chunk) => [chunk.chunkId, headingFieldText(this.documents.get(chunk.docId)!, chunk)])),
    );
  }

  /**
   * Reads `documents` as ingest reads files of their names (Markdown by its blocks, plain text as
   * text), chunks them the same way and embeds them with the hashing embedder.
   */
  static async fromDocuments(
    documents: { docId: string; title: string; text: string }[],
    chunking = { chunkSize: 1000, chunkOverlap: 200 },
  ): Promise<InMemoryPassageStore> {
    const embeddings = new HashingEmbeddings();
    const stored = await Promise.all(documents.map((d) => storedDocument(d.docId, d.title, d.text)));
    const chunks = (await Promise.all(stored.map((d) => chunkDocument(d, chunking)))).flat();
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
    this.text.score(terms, this.chunks.size, 1, scores);
    this.heading.score(terms, this.chunks.size, HEADING_FIELD_BOOST, scores);
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
      .map((chunk) => storedChunk(chunk, this.documents.get(chunk.docId)!));
  }

  /** The stored vector of a chunk (unit length), for tests of dense search. */
  vectorOf(chunkId: string): Float32Array | undefined {
    return this.vectors.get(chunkId);
  }

  async getSummary(docId: string): Promise<DocumentSummary | undefined> {
    const document = this.documents.get(docId);
    return document && documentSummary(document, this.chunkList.filter((chunk) => chunk.docId === docId).length);
  }

  async getText(docId: string, start: number, end: number): Promise<string | undefined> {
    const document = this.documents.get(docId);
    return document && sliceText(document.text, start, end);
  }

  async getBlocks(docId: string, start: number, end: number): Promise<Block[] | undefined> {
    const document = this.documents.get(docId);
    return document && blocksInRange(document.blocks, start, end);
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    return [...this.documents.values()].map((document) =>
      documentSummary(document, this.chunkList.filter((chunk) => chunk.docId === document.docId).length),
    );
  }

  async getTermCounts(terms: string[]): Promise<TermCounts> {
    return {
      chunkCount: this.chunks.size,
      documentFrequency: new Map(terms.map((term) => [term, this.text.terms.get(term)?.size ?? 0])),
    };
  }
}

function ranked(scores: Map<string, number>, limit: number): ScoredChunk[] {
  return [...scores.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([chunkId, score]) => ({ chunkId, score }));
}

/** A document as ingest would store a file of this name and text; a name ingest would skip is read as plain text. */
async function storedDocument(docId: string, title: string, text: string): Promise<StoredDocument> {
  const read = (await readDocument(docId, Buffer.from(text))) as Awaited<ReturnType<typeof readDocument>>;
  const structure = 'skip' in read ? { text, kind: 'text' as const, blocks: [], pages: null } : read;
  const hash = createHash('sha256').update(structure.text).digest('hex');
  return {
    docId,
    title,
    path: docId,
    url: null,
    hash,
    text: structure.text,
    kind: structure.kind,
    pages: structure.pages,
    blocks: structure.blocks,
  };
}

import type { Block, Chunk, DocumentKind, SourcePlace } from './types.js';

/** Which embedder built a store; a server with another embedder must not use it. */
export interface EmbedderIdentity {
  name: string;
  dimensions: number;
}

/** A chunk id with a retriever's score (higher is better). */
export interface ScoredChunk {
  chunkId: string;
  score: number;
}

/** An analysed query term (`contentTerms` of core/text/tokenize.ts) and how much it counts. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * A block of a stored document, or the window of a long one a chunk carries (core/chunks/stored-chunk.ts,
 * `blockWindow`), with its exact text (`document.text.slice(start, end)`).
 */
export interface BlockText extends Block {
  text: string;
}

/**
 * A chunk with its document's title, as a search hit needs it, placed where it starts
 * (`placeInDocument`), with its blocks and those that frame them (`chunkBlocks`,
 * core/chunks/stored-chunk.ts): answers are cut from these, never from whole documents.
 */
export interface StoredChunk extends Chunk, SourcePlace {
  title: string;
  /** How its document was read (Markdown and HTML are answered from their structure). */
  kind: DocumentKind;
  /**
   * The blocks the chunk overlaps, whole (a block may run past either end of the chunk), but a
   * block longer than 2 × BLOCK_MARGIN only within BLOCK_MARGIN characters of the chunk.
   */
  blocks: BlockText[];
  /**
   * Blocks before the chunk that its first blocks need for their meaning: the nearest heading
   * above it, the header row of a table it continues, and the block right before it (a long one:
   * its last 2 × BLOCK_MARGIN characters).
   */
  framing: BlockText[];
}

/** A stored document without its text or blocks. */
export interface DocumentSummary {
  docId: string;
  title: string;
  characters: number;
  path: string;
  /** The canonical URL of a crawled page; null for a file. */
  url: string | null;
  kind: DocumentKind;
  pages: number | null;
  /** How many chunks the document was cut into. */
  chunks: number;
  /** sha256 of the stored text. */
  hash: string;
}

/** How many chunks a store holds, and in how many of them each asked-for term occurs. */
export interface TermCounts {
  chunkCount: number;
  /** One entry per asked-for term; 0 for a term no chunk holds. */
  documentFrequency: ReadonlyMap<string, number>;
}

/**
 * What core needs of a store of chunks: async and id-based, so a search cluster can implement it
 * as well as the local hnswlib + BM25 index. Chunks are indexed with core's analyser
 * (`contentTerms`), so every store matches the same terms. README, "A second store", lists what an
 * implementation must guarantee; test/passage-store-contract.ts checks it.
 */
export interface PassageStore {
  readonly embedder: EmbedderIdentity;
  /**
   * BM25 over the chunks' terms. Each term's contribution is multiplied by its weight; a term
   * given twice counts twice. Best first, at most `limit`; chunks matching no term are left out.
   */
  searchLexical(terms: WeightedTerm[], limit: number): Promise<ScoredChunk[]>;
  /** Nearest chunks by cosine similarity (1 = same direction), best first, at most `limit`. */
  searchDense(vector: number[], limit: number): Promise<ScoredChunk[]>;
  /** The chunks with these ids, in the order asked; unknown ids are left out. */
  getChunks(chunkIds: string[]): Promise<StoredChunk[]>;
  /** One document's summary; undefined for an unknown id. */
  getSummary(docId: string): Promise<DocumentSummary | undefined>;
  /**
   * `text.slice(start, end)` of a stored document, the text every offset points into; undefined
   * for an unknown id or a range outside the text (0 ≤ start ≤ end ≤ characters).
   */
  getText(docId: string, start: number, end: number): Promise<string | undefined>;
  /** The blocks of a document that overlap `[start, end)`, in order; undefined for an unknown id. */
  getBlocks(docId: string, start: number, end: number): Promise<Block[] | undefined>;
  /** Every document, in the store's order. */
  listDocuments(): Promise<DocumentSummary[]>;
  /** Chunk count and document frequencies of these terms: one call per question, never a scan by core. */
  getTermCounts(terms: string[]): Promise<TermCounts>;
}

/** How a document was read: Markdown keeps its raw text; HTML and PDF store their readable text. */
export type DocumentKind = 'markdown' | 'html' | 'pdf' | 'text';

/** What a block of a document is, as its author wrote it. */
export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'code' | 'table-row' | 'quote' | 'html' | 'front-matter';

/**
 * A structural block of a stored document: `text.slice(start, end)` is the block as stored
 * (for Markdown, its raw source). Blocks are in document order and never overlap.
 */
export interface Block {
  kind: BlockKind;
  start: number;
  end: number;
  /** The headings the block sits under, outermost first; a heading's path ends with itself. */
  headingPath: string[];
  /** 1-based PDF page; null for documents without pages. */
  page: number | null;
  /** A heading's level (1-6), or a list item's nesting (1 = top level). */
  depth?: number;
}

/** Where a span of a document sits: the file, and the page and headings of its block. */
export interface SourcePlace {
  /** The document's path relative to the ingested folder, with "/" separators (a crawled page: host and path). */
  path: string;
  /** The page a crawled document was read from (its canonical URL); null for a file. */
  url: string | null;
  page: number | null;
  headingPath: string[];
}

/** A source document as stored in the index: every offset points into `text`. */
export interface StoredDocument {
  docId: string;
  title: string;
  text: string;
  /** sha256 of `text`, used to skip re-embedding unchanged documents. */
  hash: string;
  /** Relative to the ingested folder ("/" separators); a crawled page's host and path. */
  path: string;
  /** The canonical URL of a crawled page; null for a file. */
  url: string | null;
  kind: DocumentKind;
  /** Page count of a PDF; null for other kinds. */
  pages: number | null;
  /** In document order; plain text has one paragraph block per run of non-blank lines. */
  blocks: Block[];
}

/** A chunk of a stored document: `text === document.text.slice(start, end)`. */
export interface Chunk {
  chunkId: string;
  docId: string;
  start: number;
  end: number;
  text: string;
}

/** A retrieved chunk with its fused relevance score (higher is better), placed where it starts. */
export interface Passage extends SourcePlace {
  chunkId: string;
  docId: string;
  title: string;
  start: number;
  end: number;
  score: number;
  text: string;
}

/** A citation: a verified character span of a stored document, placed where its quote starts. */
export interface Citation extends SourcePlace {
  n: number;
  docId: string;
  title: string;
  chunkId: string;
  start: number;
  end: number;
  quote: string;
  verified: boolean;
  /** A crawled page's URL with a text fragment (`#:~:text=`) that lands on the quote; null for a file. */
  link: string | null;
}

/** A citation before it is checked against its stored document, which also gives its place and link. */
export type CitationDraft = Omit<Citation, keyof SourcePlace | 'link'>;

export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

export type AnswerMode = 'extractive' | 'generative';

export interface AnswerTimings {
  retrieveMs: number;
  answerMs: number;
  totalMs: number;
}

/** The one answer object every surface (JSON, SSE, page, Slack, eval) shares. */
export interface Answer {
  id: string;
  question: string;
  /** The question as retrieved on, after follow-up resolution. */
  standaloneQuestion: string;
  answer: string;
  answerable: boolean;
  reason: string | null;
  /** Calibrated probability (0..1) that the answer is right; answers below MIN_CONFIDENCE are refused. */
  confidence: number | null;
  /** On a refusal: the closest candidate answer that was not confident enough, with its citations. */
  candidate: { answer: string; citations: Citation[] } | null;
  citations: Citation[];
  passages: Passage[];
  mode: AnswerMode;
  /** Set when the answer differs from what was asked for, e.g. a generative fallback. */
  notice: string | null;
  /** Citation markers from the model that were dropped because they could not be verified. */
  droppedCitations: number;
  /** The index generation the answer was made from (null for a store without generations). */
  generation: string | null;
  timings: AnswerTimings;
}

/**
 * Events of one answer, in order: passages, then text-delta and citation events (a citation
 * only once verified), then done. A failure is thrown from the iteration, never yielded: each
 * surface maps the thrown error (server/error-handler.ts for HTTP, an error frame mid-stream).
 */
export type AnswerEvent =
  | {
      type: 'passages';
      passages: Passage[];
      standaloneQuestion: string;
      /** With `retrievalDepth`: the ranked list `passages` was cut from, that deep. */
      retrieved?: Passage[];
    }
  | { type: 'text-delta'; text: string }
  | { type: 'citation'; citation: Citation }
  | { type: 'done'; answer: Answer };

export interface AnswerInput {
  question: string;
  history?: ConversationTurn[];
  k?: number;
  mode?: AnswerMode;
  /**
   * Rank this many passages (when more than k) and report them in the passages event; the
   * answer is still made from the first k. Eval uses it for MRR@10 from the answer's own retrieval.
   */
  retrievalDepth?: number;
  signal?: AbortSignal;
  /** Receives the evidence measured for the answer (used to train the answerability model). */
  onEvidence?: (observation: EvidenceObservation) => void;
}

/** What the extractive answerer measured for one question, before deciding to answer or refuse. */
export interface EvidenceObservation {
  features: Record<string, number> | null;
  confidence: number;
  /** The answerability model's answer odds, which calibration maps to the confidence. */
  answerOdds: number;
  /** The model's own calibrated confidence, before a team's calibration (CONFIDENCE_CALIBRATION). */
  modelConfidence: number;
  /** Refused by rule, whatever the model says: no candidate holds the kind of fact asked for. */
  ruledOut: boolean;
  /** The answer text it would give (the candidate, on a refusal). */
  answer: string;
  passages: Passage[];
}

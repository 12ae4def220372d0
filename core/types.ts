/** A source document as stored in the index: every offset points into `text`. */
export interface StoredDocument {
  docId: string;
  title: string;
  text: string;
  /** sha256 of `text`, used to skip re-embedding unchanged documents. */
  hash: string;
}

/** A chunk of a stored document: `text === document.text.slice(start, end)`. */
export interface Chunk {
  chunkId: string;
  docId: string;
  start: number;
  end: number;
  text: string;
}

/** A retrieved chunk with its fused relevance score (higher is better). */
export interface Passage {
  chunkId: string;
  docId: string;
  title: string;
  start: number;
  end: number;
  score: number;
  text: string;
}

/** A citation: a verified character span of a stored document. */
export interface Citation {
  n: number;
  docId: string;
  title: string;
  chunkId: string;
  start: number;
  end: number;
  quote: string;
  verified: boolean;
}

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
  /** Refused by rule, whatever the model says: no candidate holds the kind of fact asked for. */
  ruledOut: boolean;
  /** The answer text it would give (the candidate, on a refusal). */
  answer: string;
  passages: Passage[];
}

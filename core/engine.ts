import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { answerQuestion } from './answer/answer-question.js';
import type { AnswerabilityModel } from './evidence/answerability-model.js';
import type { CorpusCalibration } from './evidence/confidence-calibration.js';
import type { ChatModel } from './contracts/chat-model.js';
import type { DocumentSummary, PassageStore } from './contracts/passage-store.js';
import { retrievePassages } from './retrieve/retrieve-passages.js';
import type { AnswerEvent, AnswerInput, AnswerMode, Block, Passage } from './contracts/types.js';
import type { WordRole } from './question/question-terms.js';

/** A range of a document's text: `[start, end)` in characters. */
export interface TextRange {
  start: number;
  end: number;
}

/** A range of a stored document, as a client shows and highlights it. */
export interface SourceText extends DocumentSummary, TextRange {
  text: string;
  /** The blocks that overlap the range, with offsets into the whole document (as citations have). */
  blocks: Block[];
}

/**
 * The answer engine: every surface (HTTP, SSE, chat completions, MCP, Slack, the terminal, eval)
 * receives one and calls only this. Its methods throw IndexLoadingError while its index loads.
 */
export interface Engine {
  /** The index generation answers come from (null while loading, or for a store without generations). */
  readonly generation: string | null;
  /** The mode an answer takes when none is asked for. */
  readonly defaultMode: AnswerMode;
  /** The modes it can answer in: generative only with a chat model. */
  readonly modes: readonly AnswerMode[];
  /** The answer pipeline's events, ending in `done` with the whole Answer (core/answer/answer-question.ts). */
  answer(input: AnswerInput): AsyncGenerator<AnswerEvent>;
  /** The pipeline's own hybrid retrieval, best first. */
  search(query: string, k: number): Promise<Passage[]>;
  /** Every stored document, without text. */
  sources(): Promise<DocumentSummary[]>;
  /** A range of one document (`range` picks it from the document's length); undefined for an unknown id. */
  source(docId: string, range: (characters: number) => TextRange): Promise<SourceText | undefined>;
  /** How many documents and chunks it answers from. */
  size(): Promise<{ documents: number; chunks: number }>;
}

/** The embedder's parts the engine uses (embeddings/create-embeddings.ts makes them). */
export interface EmbedderParts {
  embeddings: EmbeddingsInterface;
  /** Synchronous sentence embedder (the local word vectors), for sentence scoring and refusal. */
  embedSync?: (text: string) => number[];
  /** How rare a word is in general English (0..1), for question words the sources never use. */
  wordRarity?: (word: string) => number;
  /** The part each word of a question plays (name, topic, framing), for question words the sources never use. */
  wordRoles?: (text: string) => ReadonlyMap<string, WordRole>;
  /** Dense share of the fused retrieval score, measured for this embedder. */
  denseWeight: number;
}

/** What an engine is made of: injected, so tests use fakes and only main.ts files touch I/O. */
export interface EngineParts {
  store: PassageStore;
  /** The index generation the store holds; each Answer names it. */
  generation?: string;
  embedder: EmbedderParts;
  chatModel?: ChatModel;
  /** Default: extractive. */
  defaultMode?: AnswerMode;
  /** Passages per answer (default DEFAULT_TOP_K). */
  topK?: number;
  /** Default: the share measured for the embedder. */
  denseWeight?: number;
  /** The answerability model (default: the shipped one). */
  answerability?: AnswerabilityModel;
  /** The refusal threshold on the confidence (MIN_CONFIDENCE; default: the calibration's, else the model's). */
  minConfidence?: number;
  /** A confidence calibration fitted on a team's own eval set (CONFIDENCE_CALIBRATION, per collection). */
  calibration?: CorpusCalibration;
  createId?: () => string;
  now?: () => number;
}

/** Passages per answer when nothing else is set (TOP_K). */
export const DEFAULT_TOP_K = 5;

/** The one place an engine is assembled: the server, eval, bench and tests all come here. */
export function createEngine(parts: EngineParts): Engine {
  const pipeline = {
    store: parts.store,
    generation: parts.generation,
    embeddings: parts.embedder.embeddings,
    embedSync: parts.embedder.embedSync,
    wordRarity: parts.embedder.wordRarity,
    wordRoles: parts.embedder.wordRoles,
    chatModel: parts.chatModel,
    defaultMode: parts.defaultMode ?? 'extractive',
    topK: parts.topK ?? DEFAULT_TOP_K,
    denseWeight: parts.denseWeight ?? parts.embedder.denseWeight,
    answerability: parts.answerability,
    minConfidence: parts.minConfidence,
    calibration: parts.calibration,
    createId: parts.createId,
    now: parts.now,
  };
  const { store } = parts;
  return {
    generation: parts.generation ?? null,
    defaultMode: pipeline.defaultMode,
    modes: parts.chatModel ? ['extractive', 'generative'] : ['extractive'],
    answer: (input) => answerQuestion(pipeline, input),
    search: (query, k) => retrievePassages(store, pipeline.embeddings, query, { k, denseWeight: pipeline.denseWeight }),
    sources: () => store.listDocuments(),
    async source(docId, range) {
      const summary = await store.getSummary(docId);
      if (!summary) return undefined;
      const { start, end } = range(summary.characters);
      const [text, blocks] = await Promise.all([store.getText(docId, start, end), store.getBlocks(docId, start, end)]);
      return text === undefined || blocks === undefined ? undefined : { ...summary, start, end, text, blocks };
    },
    async size() {
      const [documents, counts] = await Promise.all([store.listDocuments(), store.getTermCounts([])]);
      return { documents: documents.length, chunks: counts.chunkCount };
    },
  };
}

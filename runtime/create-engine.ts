import type { AnswerDependencies } from '../core/answer-question.js';
import type { ChatModel } from '../core/chat-model.js';
import type { PassageStore } from '../core/passage-store.js';
import type { AnswerMode } from '../core/types.js';
import type { EmbedderSetup } from '../embeddings/create-embeddings.js';

/** The parts of an engine; every setting not given takes the default the README documents. */
export interface EngineParts {
  store: PassageStore;
  /** The index generation `store` was loaded from, reported in /readyz and each Answer. */
  generation?: string;
  embedder: EmbedderSetup;
  chatModel?: ChatModel;
  defaultMode?: AnswerMode;
  topK?: number;
  /** Defaults to the share measured for the embedder. */
  denseWeight?: number;
  /** Refusal threshold; defaults to the one the answerability model was trained with. */
  minConfidence?: number;
}

/** Passages per answer when nothing else is set (TOP_K). */
export const DEFAULT_TOP_K = 5;

/** The one place an answer engine is assembled: the server, eval, bench and tests all come here. */
export function createEngine(parts: EngineParts): AnswerDependencies {
  return {
    store: parts.store,
    generation: parts.generation,
    embeddings: parts.embedder.embeddings,
    embedSync: parts.embedder.embedSync,
    wordRarity: parts.embedder.wordRarity,
    chatModel: parts.chatModel,
    defaultMode: parts.defaultMode ?? 'extractive',
    topK: parts.topK ?? DEFAULT_TOP_K,
    denseWeight: parts.denseWeight ?? parts.embedder.denseWeight,
    minConfidence: parts.minConfidence,
  };
}

import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { renderCondensePrompt } from '../prompts/condense-prompt.js';
import { answerExtractive } from './answer-extractive.js';
import { answerGenerative, type GenerativeResult } from './answer-generative.js';
import { ModelUnavailableError, type ChatModel } from './chat-model.js';
import type { PassageIndex } from './passage-index.js';
import { historyContext } from './resolve-follow-up.js';
import { retrievePassages } from './retrieve-passages.js';
import type { Answer, AnswerEvent, AnswerInput, AnswerMode, Citation } from './types.js';
import { verifyCitations } from './verify-citations.js';

/** What the pipeline is wired to: injected so tests use fakes and only main.ts files touch I/O. */
export interface AnswerDependencies {
  index: PassageIndex;
  embeddings: EmbeddingsInterface;
  /** Synchronous sentence embedder (the local word vectors), for sentence scoring and refusal. */
  embedSync?: (text: string) => number[];
  chatModel?: ChatModel;
  defaultMode: AnswerMode;
  topK: number;
  denseWeight: number;
  createId?: () => string;
  now?: () => number;
}

/**
 * The one answer pipeline every surface calls: makes a follow-up standalone, retrieves,
 * answers (extractive or generative), verifies every citation against the stored text, and
 * streams it as events ending in `done` with the whole Answer.
 */
export async function* answerQuestion(deps: AnswerDependencies, input: AnswerInput): AsyncGenerator<AnswerEvent> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const mode = input.mode ?? deps.defaultMode;
  if (mode === 'generative' && !deps.chatModel) throw new ModelUnavailableError('Generative mode needs a chat model; set OPENAI_API_KEY or OPENAI_BASE_URL.');
  const k = input.k ?? deps.topK;
  let notice: string | null = null;

  const context = historyContext(input.history);
  let standaloneQuestion = input.question;
  let retrievalContext = context;
  if (mode === 'generative' && context && deps.chatModel) {
    try {
      standaloneQuestion = (await collectText(deps.chatModel, renderCondensePrompt(input.question, input.history ?? []), input.signal)).trim() || input.question;
      retrievalContext = '';
    } catch (error) {
      if (!ModelUnavailableError.isInstance(error)) throw error;
      notice = 'The language model could not rewrite the follow-up; earlier turns were used as keywords instead.';
    }
  }

  const passages = await retrievePassages(deps.index, deps.embeddings, standaloneQuestion, {
    k,
    denseWeight: deps.denseWeight,
    context: retrievalContext,
  });
  yield { type: 'passages', passages, standaloneQuestion };
  const retrieved = now();

  let result: GenerativeResult | null = null;
  let answeredMode: AnswerMode = mode;
  if (mode === 'generative' && deps.chatModel) {
    try {
      result = yield* answerGenerative(deps.chatModel, standaloneQuestion, passages, input.signal);
      if (result.answerable && result.citations.length === 0) {
        notice = 'The generated answer cited nothing that could be verified in the sources; showing quoted sentences instead.';
        result = null;
      }
    } catch (error) {
      if (!ModelUnavailableError.isInstance(error)) throw error;
      notice = `The language model was unavailable (${error.message}); this answer quotes the sources directly.`;
    }
  }
  if (!result) {
    answeredMode = 'extractive';
    const extractive = answerExtractive({
      question: standaloneQuestion,
      historyText: retrievalContext,
      passages,
      index: deps.index,
      embedSync: deps.embedSync,
    });
    result = { ...extractive, dropped: 0 };
    yield { type: 'text-delta', text: extractive.answer };
  }

  const { verified, rejected } = verifyCitations(result.citations, deps.index.documents);
  const citations: Citation[] = verified;
  if (answeredMode === 'extractive') for (const citation of citations) yield { type: 'citation', citation };
  const finished = now();
  const answer: Answer = {
    id: deps.createId?.() ?? `ans_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`,
    question: input.question,
    standaloneQuestion,
    answer: result.answer,
    answerable: result.answerable,
    reason: result.reason,
    citations,
    passages,
    mode: answeredMode,
    notice,
    droppedCitations: result.dropped + rejected,
    timings: {
      retrieveMs: round(retrieved - started),
      answerMs: round(finished - retrieved),
      totalMs: round(finished - started),
    },
  };
  yield { type: 'done', answer };
}

/** Runs the pipeline to its end and returns the Answer of its `done` event. */
export async function collectAnswer(events: AsyncIterable<AnswerEvent>): Promise<Answer> {
  for await (const event of events) {
    if (event.type === 'done') return event.answer;
  }
  throw new Error('The answer stream ended without a done event');
}

async function collectText(model: ChatModel, messages: Parameters<ChatModel['streamChat']>[0], signal?: AbortSignal): Promise<string> {
  let text = '';
  for await (const token of model.streamChat(messages, { signal })) text += token;
  return text;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

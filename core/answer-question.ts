import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { renderCondensePrompt } from '../prompts/condense-prompt.js';
import { answerExtractive } from './answer-extractive.js';
import { answerGenerative, type GenerativeResult } from './answer-generative.js';
import { ModelUnavailableError, type ChatModel } from './chat-model.js';
import type { PassageIndex } from './passage-index.js';
import { dependsOnHistory } from './depends-on-history.js';
import { historyContext } from './resolve-follow-up.js';
import { termStatistics } from './term-statistics.js';
import { contentTerms } from './tokenize.js';
import { retrievePassages } from './retrieve-passages.js';
import type { Answer, AnswerEvent, AnswerInput, AnswerMode, Citation } from './types.js';
import { verifyCitations } from './verify-citations.js';
import { SHIPPED_ANSWERABILITY_MODEL, type AnswerabilityModel } from './answerability-model.js';

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
  /** The answerability model (default: the shipped one) and its refusal threshold. */
  answerability?: AnswerabilityModel;
  minConfidence?: number;
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

  // History joins only a question that leans on it; a self-contained one is answered alone.
  const statistics = termStatistics(deps.index);
  const leansOnHistory = dependsOnHistory(input.question, {
    inSources: (term) => statistics.documentFrequency(term) > 0,
    namesDocument: (term) => documentNameTerms(deps.index).has(term),
  });
  const context = leansOnHistory ? historyContext(input.history) : '';
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

  // The extractive answer is always measured: its evidence gives the confidence in both modes,
  // and it is the answer whenever the model is not asked, not available or cites nothing.
  const extractive = answerExtractive({
    question: standaloneQuestion,
    historyText: retrievalContext,
    passages,
    index: deps.index,
    embedSync: deps.embedSync,
    model: deps.answerability ?? SHIPPED_ANSWERABILITY_MODEL,
    minConfidence: deps.minConfidence ?? (deps.answerability ?? SHIPPED_ANSWERABILITY_MODEL).minConfidence,
  });
  input.onEvidence?.({
    features: extractive.evidence?.features ?? null,
    confidence: extractive.confidence,
    ruledOut: extractive.ruledOut,
    answer: extractive.candidate?.answer ?? extractive.answer,
    passages,
  });

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
    result = { ...extractive, dropped: 0 };
    yield { type: 'text-delta', text: extractive.answer };
  }

  const { verified, rejected } = verifyCitations(result.citations, deps.index.documents);
  const citations: Citation[] = verified;
  if (answeredMode === 'extractive') for (const citation of citations) yield { type: 'citation', citation };
  const candidate = answeredMode === 'extractive' && extractive.candidate ? verifiedCandidate(extractive.candidate, deps.index.documents) : null;
  const finished = now();
  const answer: Answer = {
    id: deps.createId?.() ?? `ans_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`,
    question: input.question,
    standaloneQuestion,
    answer: result.answer,
    answerable: result.answerable,
    reason: result.reason,
    confidence: extractive.evidence ? extractive.confidence : null,
    candidate,
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

/** Terms of the documents' titles and paths, computed once per index. */
function documentNameTerms(index: PassageIndex): Set<string> {
  let terms = nameTerms.get(index);
  if (!terms) {
    terms = new Set([...index.documents.values()].flatMap((document) => contentTerms(`${document.docId} ${document.title}`)));
    nameTerms.set(index, terms);
  }
  return terms;
}
const nameTerms = new WeakMap<PassageIndex, Set<string>>();

/** A refused answer's candidate, shown only when all of its citations verify. */
function verifiedCandidate(candidate: { answer: string; citations: Citation[] }, documents: PassageIndex['documents']): Answer['candidate'] {
  const { verified, rejected } = verifyCitations(candidate.citations, documents);
  return rejected === 0 && verified.length > 0 ? { answer: candidate.answer, citations: verified } : null;
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

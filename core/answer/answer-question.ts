import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { renderCondensePrompt } from '../../prompts/condense-prompt.js';
import { answerExtractive } from './answer-extractive.js';
import { answerGenerative, type GenerativeResult } from './answer-generative.js';
import type { ChatModel } from '../contracts/chat-model.js';
import { ModeUnavailableError } from '../contracts/mode-unavailable-error.js';
import { ModelUnavailableError } from '../contracts/model-unavailable-error.js';
import type { PassageStore } from '../contracts/passage-store.js';
import { SHIPPED_ANSWERABILITY_MODEL, type AnswerabilityModel } from '../evidence/answerability-model.js';
import type { CorpusCalibration } from '../evidence/confidence-calibration.js';
import { analyseQuestion, analyseResolved, questionTexts, type AnalysedQuestion } from '../question/analyse-question.js';
import type { WordRole } from '../question/question-terms.js';
import { corpusSubjects, type CorpusSubjects } from '../question/corpus-subjects.js';
import type { UnitSource } from '../units/answer-units.js';
import { retrieveChunks, toPassage, type RetrievedChunk } from '../retrieve/retrieve-passages.js';
import { contentTermSet } from '../text/tokenize.js';
import { fetchTermStatistics } from '../question/term-statistics.js';
import type { Answer, AnswerEvent, AnswerInput, AnswerMode, CitationDraft } from '../contracts/types.js';
import { citationVerifier, verifyCitations, type CitationVerifier } from '../citations/verify-citations.js';

/** What the pipeline runs on: an engine's parts with its defaults applied (core/engine.ts assembles it). */
export interface PipelineParts {
  store: PassageStore;
  /** The index generation the store holds; each Answer names it. */
  generation?: string;
  embeddings: EmbeddingsInterface;
  /** Synchronous sentence embedder (the local word vectors), for sentence scoring and refusal. */
  embedSync?: (text: string) => number[];
  /** How rare a word is in general English (0..1), for question words the sources never use. */
  wordRarity?: (word: string) => number;
  wordRoles?: (text: string) => ReadonlyMap<string, WordRole>;
  chatModel?: ChatModel;
  defaultMode: AnswerMode;
  topK: number;
  denseWeight: number;
  /** The answerability model (default: the shipped one) and its refusal threshold (default: the model's). */
  answerability?: AnswerabilityModel;
  minConfidence?: number;
  /** A team's own calibration of the confidence (CONFIDENCE_CALIBRATION). */
  calibration?: CorpusCalibration;
  createId?: () => string;
  now?: () => number;
}

/**
 * The one answer pipeline every surface calls: makes a follow-up standalone, retrieves,
 * answers (extractive or generative), verifies every citation against the stored text before
 * it is emitted, and streams it as events ending in `done` with the whole Answer. Failures are
 * thrown (ModeUnavailableError before any event when generative mode has no model).
 */
export async function* answerQuestion(deps: PipelineParts, input: AnswerInput): AsyncGenerator<AnswerEvent> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const mode = input.mode ?? deps.defaultMode;
  const chatModel = mode === 'generative' ? requireChatModel(deps) : undefined;
  const k = input.k ?? deps.topK;
  let notice: string | null = null;

  // The question is analysed once, here; every later stage reads the analysis. One round trip
  // fetches the statistics of every term it uses (a second only when a model rewrote a follow-up).
  let lookup = {
    statistics: await fetchTermStatistics(deps.store, questionTexts(input.question, input.history)),
    subjects: await subjectsOf(deps.store),
    embedSync: deps.embedSync,
    wordRarity: deps.wordRarity,
    wordRoles: deps.wordRoles,
  };
  let question = analyseQuestion(input.question, input.history, lookup);
  if (chatModel && question.followUp) {
    try {
      const rewritten = (await collectText(chatModel, renderCondensePrompt(input.question, input.history ?? []), input.signal)).trim();
      if (rewritten) {
        lookup = { ...lookup, statistics: await fetchTermStatistics(deps.store, [rewritten]) };
        question = analyseResolved(input.question, rewritten, '', lookup);
      }
    } catch (error) {
      if (!ModelUnavailableError.isInstance(error)) throw error;
      notice = 'The language model could not rewrite the follow-up; earlier turns were used as keywords instead.';
    }
  }
  const standaloneQuestion = question.resolved;
  const depth = Math.max(k, input.retrievalDepth ?? 0);
  const inScope = (chunk: { docId: string }) => question.subjects.length === 0 || question.subjects.some((s) => s.docIds.has(chunk.docId));
  // A question that names a subject (a package, a document) is answered from that subject's
  // documents: they come first, from a deeper pool, and only they are quoted.
  const ranked = await retrieveChunks(deps.store, deps.embeddings, question, {
    k: question.subjects.length > 0 ? Math.max(depth, SCOPED_POOL) : depth,
    denseWeight: deps.denseWeight,
  });
  if (subjectUsedAsWord(question, ranked, inScope, deps.wordRarity)) question = { ...question, subjects: [] };
  const retrieved = [...ranked.filter(inScope), ...ranked.filter((chunk) => !inScope(chunk))].slice(0, depth);
  // Ranking deeper never reorders the top k: the answer sees what a k-deep retrieval returns.
  const chunks = retrieved.slice(0, k);
  const passages = chunks.map((chunk) => toPassage(chunk, chunk.score));
  yield {
    type: 'passages',
    passages,
    standaloneQuestion,
    ...(depth > k ? { retrieved: retrieved.map((chunk) => toPassage(chunk, chunk.score)) } : {}),
  };
  const retrievedAt = now();
  const verify = citationVerifier(deps.store, chunks);
  const sources: UnitSource[] = chunks.flatMap((chunk, i) =>
    inScope(chunk)
      ? [
          {
            passage: passages[i],
            structured: chunk.kind === 'markdown' || chunk.kind === 'html',
            blocks: chunk.blocks,
            framing: chunk.framing,
          },
        ]
      : [],
  );

  // The extractive answer is always measured: its evidence gives the confidence in both modes,
  // and it is the answer whenever the model is not asked, not available or cites nothing.
  const model = deps.answerability ?? SHIPPED_ANSWERABILITY_MODEL;
  const extractive = answerExtractive({
    question,
    // The evidence is measured over the passages the answer may quote: the named subject's.
    passages: passages.filter((_, i) => inScope(chunks[i])),
    statistics: lookup.statistics,
    sources,
    embedSync: deps.embedSync,
    model,
    calibration: deps.calibration,
    minConfidence: deps.minConfidence,
  });
  input.onEvidence?.({
    features: extractive.evidence?.features ?? null,
    confidence: extractive.confidence,
    answerOdds: extractive.answerOdds,
    modelConfidence: extractive.modelConfidence,
    ruledOut: extractive.ruledOut,
    answer: extractive.candidate?.answer ?? extractive.answer,
    passages,
  });

  let result: GenerativeResult | null = null;
  let answeredMode: AnswerMode = mode;
  if (chatModel) {
    try {
      result = yield* answerGenerative(chatModel, standaloneQuestion, passages, verify, input.signal);
      if (result.answerable && result.citations.length === 0) {
        notice = 'The generated answer cited nothing that could be verified in the sources; showing quoted sentences instead.';
        result = null;
      }
    } catch (error) {
      if (!ModelUnavailableError.isInstance(error)) throw error;
      notice = `The language model was unavailable (${error.message}); this answer quotes the sources directly.`;
    }
  }
  let candidate: Answer['candidate'] = null;
  if (!result) {
    answeredMode = 'extractive';
    // Quotes are verified before any of the answer is sent; a rejected one loses its marker.
    const { text, verified, rejected } = await keepVerified(extractive.answer, extractive.citations, verify);
    result = { ...extractive, answer: text, citations: verified, dropped: rejected };
    yield { type: 'text-delta', text };
    for (const citation of verified) yield { type: 'citation', citation };
    if (extractive.candidate) {
      const shown = await keepVerified(extractive.candidate.answer, extractive.candidate.citations, verify);
      candidate = shown.verified.length > 0 ? { answer: shown.text, citations: shown.verified } : null;
    }
  }

  // A refusal shows the closest passages (of the subject the question names, when it names one);
  // the candidate it held back only when its passages hold some word of the question that matters.
  const offTopic = !result.answerable && (extractive.evidence?.found.length ?? 0) === 0;
  const scoped = passages.filter((_, i) => inScope(chunks[i]));
  const shownPassages = result.answerable || scoped.length === 0 ? passages : scoped;
  if (offTopic) candidate = null;

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
    citations: result.citations,
    passages: shownPassages,
    mode: answeredMode,
    notice,
    droppedCitations: result.dropped,
    generation: deps.generation ?? null,
    timings: {
      retrieveMs: round(retrievedAt - started),
      answerMs: round(finished - retrievedAt),
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

/** Verified citations of an answer text, the markers of rejected ones removed from it. */
async function keepVerified(answer: string, citations: CitationDraft[], verify: CitationVerifier) {
  const { verified, rejected } = await verifyCitations(citations, verify);
  const kept = new Set(verified.map((c) => c.n));
  const text = citations.filter((c) => !kept.has(c.n)).reduce((answerText, c) => answerText.replace(` [${c.n}]`, ''), answer);
  return { text, verified, rejected };
}

/**
 * Whether the subjects a question names are only English words used as words: "How many bytes
 * does fromByteArray expect?" in a corpus holding the package "bytes". So when every subject's
 * name is one English word written as a word (lower case, not as code: `bytes`, bytes.format(),
 * nor as a name: "the bytes package"),
 * and the other code names the question gives (fromByteArray) are in retrieved passages of other
 * documents and in none of the subject's.
 */
function subjectUsedAsWord(
  question: AnalysedQuestion,
  ranked: RetrievedChunk[],
  inScope: (chunk: RetrievedChunk) => boolean,
  wordRarity: ((word: string) => number) | undefined,
): boolean {
  if (!wordRarity || question.subjects.length === 0 || question.codeNames.length === 0) return false;
  const asWord = (name: string) => {
    const written = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return (
      wordRarity(name) < 1 &&
      new RegExp(`(^|[^\\p{L}\\p{N}\`.])${written}(?:e?s)?(?![\\p{L}\\p{N}\`.(])`, 'u').test(question.resolved) &&
      !new RegExp(
        `\`${written}|${written}[.(]|\\b${written}['’]s\\b|\\b${written}\\s+(package|module|library|lib|readme|docs)\\b`,
        'iu',
      ).test(question.resolved)
    );
  };
  if (!question.subjects.every((subject) => subject.terms.length === 1 && asWord(subject.name))) return false;
  const subjectTerms = new Set(question.subjects.flatMap((subject) => subject.terms));
  const codeNames = question.codeNames.filter((name) => !subjectTerms.has(name));
  const holdsCodeName = (chunk: RetrievedChunk) => {
    const terms = contentTermSet(chunk.text);
    return codeNames.some((name) => terms.has(name));
  };
  return !ranked.some((chunk) => inScope(chunk) && holdsCodeName(chunk)) && ranked.some((chunk) => !inScope(chunk) && holdsCodeName(chunk));
}

/** The subjects of a store's corpus, found once per store (a loaded generation never changes). */
function subjectsOf(store: PassageStore): Promise<CorpusSubjects> {
  let subjects = subjectCache.get(store);
  if (!subjects) {
    subjects = store.listDocuments().then(corpusSubjects);
    subjectCache.set(store, subjects);
  }
  return subjects;
}
const subjectCache = new WeakMap<PassageStore, Promise<CorpusSubjects>>();

/** How deep retrieval ranks for a question that names a subject, so its subject's chunks can come first. */
const SCOPED_POOL = 20;

/** The one check that generative mode has a model to call. */
function requireChatModel(deps: PipelineParts): ChatModel {
  if (!deps.chatModel) {
    throw new ModeUnavailableError('mode "generative" needs a language model; none is configured (set OPENAI_API_KEY or OPENAI_BASE_URL).');
  }
  return deps.chatModel;
}

async function collectText(model: ChatModel, messages: Parameters<ChatModel['streamChat']>[0], signal?: AbortSignal): Promise<string> {
  let text = '';
  for await (const token of model.streamChat(messages, { signal })) text += token;
  return text;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

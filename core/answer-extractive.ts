import { expectedAnswerType, sentenceHasType, type AnswerType } from './answer-types.js';
import { cosine, missingWords, questionTerms, scoreSentences, weightedCoverage, type ScoredSentence } from './score-sentences.js';
import type { TermStatistics } from './term-statistics.js';
import { contentTerms } from './tokenize.js';
import type { Citation, Passage } from './types.js';

export interface ExtractiveInput {
  /** The question as the user asked it. */
  question: string;
  /** Text of earlier turns whose terms help resolve a follow-up. */
  historyText: string;
  passages: Passage[];
  /** IDF of the question's and history's terms over the store (fetched once per question). */
  statistics: TermStatistics;
  /** Stored embeddings of the passages' chunks, by chunk id. */
  passageVectors: ReadonlyMap<string, Float32Array>;
  embedSync?: (text: string) => number[];
}

export interface ExtractiveResult {
  answerable: boolean;
  reason: string | null;
  answer: string;
  citations: Citation[];
}

/**
 * Below this IDF-weighted share of the question's terms in the best passage, the sources are
 * off topic: less than half of what the question is specifically about appears anywhere near.
 */
const MIN_PASSAGE_COVERAGE = 0.5;
/** With word-vector embeddings, only a passage this close keeps a low-coverage question on topic. */
const ON_TOPIC_SIMILARITY = 0.7;
/** A sentence must cover this share of the question's terms to be given as the answer (long questions cover little per sentence). */
const MIN_SENTENCE_COVERAGE = 0.15;
/** Extra sentences must score this close to the best one, and add this much coverage. */
const EXTRA_SENTENCE_RATIO = 0.9;
const EXTRA_SENTENCE_GAIN = 0.15;
/**
 * A sentence right next to a chosen one (a quote and its attribution, say) may score lower,
 * but must bring over a third of the question's weight that the chosen ones lack.
 */
const NEIGHBOUR_SENTENCE_RATIO = 0.5;
const NEIGHBOUR_SENTENCE_GAIN = 0.35;
const MAX_SENTENCES = 3;

const TYPE_NAMES: Record<AnswerType, string> = {
  number: 'number',
  date: 'date or time',
  money: 'price or amount of money',
  person: 'name',
};

/**
 * Answers by quoting: picks the one to three sentences of the retrieved passages that best
 * answer the question and returns them verbatim, each cited by its exact document span.
 * Refuses when the passages are off topic, or when no sentence holds the kind of fact asked for.
 */
export function answerExtractive(input: ExtractiveInput): ExtractiveResult {
  const { question, passages, statistics } = input;
  if (passages.length === 0) return refusal('The index holds no passage to answer from.');
  const ownTerms = questionTerms(statistics, question);
  const historyTerms = questionTerms(statistics, input.historyText, ownTerms);
  const questionVector = input.embedSync ? input.embedSync(question) : null;

  // A follow-up ("which companies did he pledge to work with?") leans on its history's terms.
  const combinedTerms = new Map([...ownTerms, ...[...historyTerms].map(([t, w]) => [t, w / 2] as const)]);
  const passageCoverage = (p: Passage) => {
    const present = new Set(contentTerms(p.text));
    return Math.max(weightedCoverage(ownTerms, present), historyTerms.size > 0 ? weightedCoverage(combinedTerms, present) : 0);
  };
  const bestPassageCoverage = Math.max(...passages.map(passageCoverage));
  const bestPassageSimilarity = questionVector
    ? Math.max(...passages.map((p) => cosine(questionVector, input.passageVectors.get(p.chunkId) ?? [])))
    : 0;
  if (ownTerms.size > 0 && bestPassageCoverage < MIN_PASSAGE_COVERAGE && bestPassageSimilarity < ON_TOPIC_SIMILARITY) {
    const allTerms = new Set(passages.flatMap((p) => contentTerms(p.text)));
    const missing = missingWords(statistics, question, allTerms).slice(0, 3);
    return refusal(
      missing.length > 0
        ? `No passage in the sources is about ${quoteList(missing)}.`
        : 'The closest passages do not match the question well enough to answer it.',
    );
  }

  const sentences = scoreSentences(passages, ownTerms, historyTerms, questionVector, input.embedSync);
  const type = expectedAnswerType(question);
  const candidates = type ? sentences.filter((s) => sentenceHasType(s.text, type, question)) : sentences;
  const best = candidates[0];
  const bestCoverage = sentences[0]?.coverage ?? 0;
  if (!best || best.coverage < MIN_SENTENCE_COVERAGE || (type && best.coverage < 0.5 * bestCoverage)) {
    const topic = sentences[0] ? topicWords(question, sentences[0]) : [];
    const about = topic.length > 0 ? ` about ${quoteList(topic)}` : '';
    return refusal(
      type
        ? `The passages${about} give no ${TYPE_NAMES[type]} that answers the question.`
        : `No sentence in the passages${about} answers the question.`,
    );
  }
  const chosen = chooseSentences(best, candidates, ownTerms);
  return compose(chosen);
}

function chooseSentences(best: ScoredSentence, candidates: ScoredSentence[], terms: Map<string, number>): ScoredSentence[] {
  const chosen = [best];
  const covered = new Set(best.terms);
  const gainOf = (candidate: ScoredSentence) => weightedCoverage(terms, new Set([...candidate.terms].filter((t) => !covered.has(t))));
  const adjacent = (candidate: ScoredSentence) =>
    chosen.some((c) => c.passage.docId === candidate.passage.docId && (isNextTo(c, candidate) || isNextTo(candidate, c)));
  for (const candidate of candidates) {
    if (chosen.length >= MAX_SENTENCES) break;
    if (chosen.includes(candidate)) continue;
    const [ratio, minimumGain] = adjacent(candidate)
      ? [NEIGHBOUR_SENTENCE_RATIO, NEIGHBOUR_SENTENCE_GAIN]
      : [EXTRA_SENTENCE_RATIO, EXTRA_SENTENCE_GAIN];
    if (candidate.score < ratio * best.score || gainOf(candidate) < minimumGain) continue;
    chosen.push(candidate);
    for (const term of candidate.terms) covered.add(term);
  }
  // In document order, so a quote follows its attribution and a list its lead-in.
  return chosen.sort((a, b) => (a.passage.docId === b.passage.docId ? a.start - b.start : 0));
}

/** Whether `b` starts right after `a` ends (only whitespace between them). */
function isNextTo(a: ScoredSentence, b: ScoredSentence): boolean {
  const gap = b.start - a.end;
  return gap >= 0 && gap <= 3;
}

function compose(sentences: ScoredSentence[]): ExtractiveResult {
  const citations: Citation[] = sentences.map((sentence, i) => ({
    n: i + 1,
    docId: sentence.passage.docId,
    title: sentence.passage.title,
    chunkId: sentence.passage.chunkId,
    start: sentence.start,
    end: sentence.end,
    quote: sentence.text,
    verified: false,
  }));
  const answer = sentences.map((sentence, i) => `${sentence.text} [${i + 1}]`).join(' ');
  return { answerable: true, reason: null, answer, citations };
}

function refusal(reason: string): ExtractiveResult {
  return { answerable: false, reason, answer: `The sources do not answer this. ${reason}`, citations: [] };
}

/** The question's words that the closest sentence does contain: what the sources do cover. */
function topicWords(question: string, sentence: ScoredSentence): string[] {
  const words = question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  const seen = new Set<string>();
  return words
    .filter((word) => {
      const terms = contentTerms(word);
      const key = word.toLowerCase();
      if (terms.length === 0 || seen.has(key) || !terms.every((t) => sentence.terms.has(t))) return false;
      seen.add(key);
      return true;
    })
    .slice(0, 3);
}

function quoteList(words: string[]): string {
  const quoted = words.map((word) => `“${word}”`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

import { splitSentences, type SentenceSpan } from './split-sentences.js';
import type { TermStatistics } from './term-statistics.js';
import { QUESTION_FRAME_WORDS } from './stopwords.js';
import { contentTerms, isContentWord, questionContentTerms, stemWord, wordTokens } from './tokenize.js';
import type { Passage } from './types.js';

/** A sentence of a retrieved passage with how well it matches the question. */
export interface ScoredSentence extends SentenceSpan {
  passage: Passage;
  passageRank: number;
  terms: Set<string>;
  /** IDF-weighted share of the question's terms the sentence contains (0..1). */
  coverage: number;
  /** Cosine between question and sentence embeddings, 0 without a sentence embedder. */
  similarity: number;
  score: number;
}

/** The question's terms, each with its weight (IDF; history terms count less). */
export type WeightedTerms = Map<string, number>;

/** Stemmed content terms of a text, each weighted by its IDF in the store; `exclude` left out. */
export function questionTerms(statistics: TermStatistics, text: string, exclude?: WeightedTerms): WeightedTerms {
  const weights: WeightedTerms = new Map();
  for (const term of questionContentTerms(text)) if (!exclude?.has(term)) weights.set(term, statistics.idf(term));
  return weights;
}

/** IDF-weighted share of `terms` found in `present`. */
export function weightedCoverage(terms: WeightedTerms, present: Set<string>): number {
  let total = 0;
  let found = 0;
  for (const [term, weight] of terms) {
    total += weight;
    if (present.has(term)) found += weight;
  }
  return total > 0 ? found / total : 0;
}

/** The words of a question (as written) whose stems are in none of `present`, most specific first. */
export function missingWords(statistics: TermStatistics, question: string, present: Set<string>): string[] {
  const seen = new Set<string>();
  const weight = (word: string) => statistics.idf(stemWord(word.toLowerCase()));
  return (question.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [])
    .map((word) => word.replace(/['’]s$/i, ''))
    .filter((word) => {
      const token = word.toLowerCase();
      if (!isContentWord(token) || QUESTION_FRAME_WORDS.has(token) || present.has(stemWord(token)) || seen.has(token)) return false;
      seen.add(token);
      return true;
    })
    .sort((a, b) => weight(b) - weight(a));
}

/**
 * Splits passages into sentences (with document offsets) and scores each against the question:
 * mostly term coverage, some embedding similarity, a little passage rank and earlier-turn terms. A sentence seen in
 * two overlapping passages is kept once, under the better-ranked passage.
 */
export function scoreSentences(
  passages: Passage[],
  terms: WeightedTerms,
  historyTerms: WeightedTerms,
  questionVector: number[] | null,
  embedSync: ((text: string) => number[]) | undefined,
): ScoredSentence[] {
  const seen = new Set<string>();
  const sentences: ScoredSentence[] = [];
  passages.forEach((passage, passageRank) => {
    for (const span of splitSentences(passage.text, passage.start)) {
      const key = `${passage.docId}:${span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const words = wordTokens(span.text);
      const sentenceTerms = new Set(contentTerms(span.text));
      const coverage = weightedCoverage(terms, sentenceTerms);
      const similarity = questionVector && embedSync ? cosine(questionVector, embedSync(span.text)) : 0;
      const brevityPenalty = words.length < 4 ? 0.5 : 1;
      // Earlier turns only break ties between sentences that match the question itself.
      const history = historyTerms.size > 0 ? weightedCoverage(historyTerms, sentenceTerms) : 0;
      const score = brevityPenalty * (0.65 * coverage + 0.25 * Math.max(similarity, 0) + 0.1 / (1 + passageRank) + 0.1 * history);
      sentences.push({ ...span, passage, passageRank, terms: sentenceTerms, coverage, similarity, score });
    }
  });
  return sentences.sort((a, b) => b.score - a.score || a.start - b.start);
}

/** Cosine of two vectors (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

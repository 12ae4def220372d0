import type { PassageIndex } from './passage-index.js';
import { QUESTION_FRAME_WORDS } from './stopwords.js';
import { termStatistics } from './term-statistics.js';
import { isContentWord, questionContentTerms, stemWord } from './tokenize.js';

/** The question's terms, each with its weight (IDF; history terms count less). */
export type WeightedTerms = Map<string, number>;

/** Stemmed content terms of a text, each weighted by its IDF in the index; `exclude` left out. */
export function questionTerms(index: PassageIndex, text: string, exclude?: WeightedTerms): WeightedTerms {
  const statistics = termStatistics(index);
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
export function missingWords(index: PassageIndex, question: string, present: Set<string>): string[] {
  const statistics = termStatistics(index);
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

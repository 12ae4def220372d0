import type { TermStatistics } from './term-statistics.js';
import { questionContentWords } from '../text/tokenize.js';

/** The question's terms, each with its weight (IDF; history terms count less). */
export type WeightedTerms = Map<string, number>;

/**
 * Stemmed content terms of a text, each weighted by its IDF in the store; `exclude` left out.
 * A word the sources never use has the highest IDF, whether it is "sit" or "metaphor"; with
 * `wordRarity` (how rare the word is in general English, 0..1) its weight is scaled by it, so
 * a common word that merely paraphrases the sources does not outweigh the question's topic.
 */
export function questionTerms(
  statistics: TermStatistics,
  text: string,
  exclude?: WeightedTerms,
  wordRarity?: (word: string) => number,
): WeightedTerms {
  const weights: WeightedTerms = new Map();
  // Names keep their full weight: "Japan" missing from the sources matters however common it is.
  const names = new Set((text.match(/(?<=\S\s+)\p{Lu}[\p{L}\p{N}'’-]*/gu) ?? []).map((name) => name.toLowerCase()));
  for (const { word, term } of questionContentWords(text)) {
    if (exclude?.has(term) || weights.has(term)) continue;
    const unseen = statistics.documentFrequency(term) === 0 && !names.has(word);
    weights.set(term, unseen && wordRarity ? statistics.idf(term) * Math.max(MIN_UNSEEN_SHARE, wordRarity(word)) : statistics.idf(term));
  }
  return weights;
}

/** An unseen word keeps at least this share of its IDF, however common it is in English. */
const MIN_UNSEEN_SHARE = 0.1;

/** IDF-weighted share of `terms` found in `present`. */
export function weightedCoverage(terms: WeightedTerms, present: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const [term, weight] of terms) {
    total += weight;
    if (present.has(term)) found += weight;
  }
  return total > 0 ? found / total : 0;
}

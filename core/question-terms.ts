import type { TermStatistics } from './term-statistics.js';
import { questionContentTerms } from './tokenize.js';

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

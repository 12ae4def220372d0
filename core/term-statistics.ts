import type { PassageIndex } from './passage-index.js';
import { contentTerms } from './tokenize.js';

/** Inverse document frequency of stemmed terms over an index's chunks. */
export interface TermStatistics {
  /** log(1 + N / (1 + df)); terms never seen get the highest weight. */
  idf(term: string): number;
  /** How many chunks contain the term. */
  documentFrequency(term: string): number;
}

const cache = new WeakMap<PassageIndex, TermStatistics>();

/** Term statistics of an index, computed once per index. */
export function termStatistics(index: PassageIndex): TermStatistics {
  const cached = cache.get(index);
  if (cached) return cached;
  const frequencies = new Map<string, number>();
  for (const chunk of index.chunks) {
    for (const term of new Set(contentTerms(chunk.text))) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  }
  const total = index.chunks.length;
  const statistics: TermStatistics = {
    idf: (term) => Math.log(1 + total / (1 + (frequencies.get(term) ?? 0))),
    documentFrequency: (term) => frequencies.get(term) ?? 0,
  };
  cache.set(index, statistics);
  return statistics;
}

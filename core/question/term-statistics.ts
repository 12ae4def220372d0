import type { PassageStore, TermCounts } from '../contracts/passage-store.js';
import { stemWord, wordTokens } from '../text/tokenize.js';

/** Inverse document frequency of stemmed terms over a store's chunks, for the terms of one question. */
export interface TermStatistics {
  chunkCount: number;
  /** log(1 + N / (1 + df)); terms never seen get the highest weight. */
  idf(term: string): number;
  /** How many chunks contain the term. */
  documentFrequency(term: string): number;
}

/** Words as a question writes them (possessive kept apart), the way refusal reasons quote them. */
const WRITTEN_WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/**
 * Every stem that scoring a question over these texts may look up: each word as the tokenizer
 * reads it, and as written (curly apostrophes kept), lower-cased and stemmed.
 */
export function questionVocabulary(texts: string[]): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const token of wordTokens(text)) terms.add(stemWord(token));
    for (const [word] of text.matchAll(WRITTEN_WORD)) terms.add(stemWord(word.replace(/['’]s$/i, '').toLowerCase()));
  }
  return [...terms];
}

/**
 * Statistics over counts fetched for a known set of terms. Asking for any other term is a
 * programming error, not a zero: the terms a question needs are fetched together, once.
 */
export function termStatisticsFrom(counts: TermCounts): TermStatistics {
  const frequency = (term: string) => {
    const value = counts.documentFrequency.get(term);
    if (value === undefined) throw new Error(`Term statistics for "${term}" were not fetched; add its text to fetchTermStatistics.`);
    return value;
  };
  return {
    chunkCount: counts.chunkCount,
    idf: (term) => Math.log(1 + counts.chunkCount / (1 + frequency(term))),
    documentFrequency: frequency,
  };
}

/** The statistics of every term of `texts`, in one call to the store. */
export async function fetchTermStatistics(store: PassageStore, texts: string[]): Promise<TermStatistics> {
  return termStatisticsFrom(await store.getTermCounts(questionVocabulary(texts)));
}

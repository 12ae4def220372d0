import { isContentWord, stemWord, wordTokens } from '../../core/text/tokenize.js';

/** A chunk field as BM25 sees it: its length and each analysed term's frequency. */
export interface AnalysedField {
  /** Distinct tokens, stopwords included: what minisearch counted as the field's length. */
  length: number;
  frequencies: Map<string, number>;
}

/**
 * Analyses text with core's analyser (`contentTerms`: our tokens, stopwords out, Porter stems).
 * Each token's term is remembered: a corpus reuses a small vocabulary, and stemming every
 * occurrence again was most of the build time.
 */
export function createFieldAnalyser(): (text: string) => AnalysedField {
  const termOf = new Map<string, string | null>();
  return (text) => {
    const tokens = wordTokens(text);
    const frequencies = new Map<string, number>();
    for (const token of tokens) {
      let term = termOf.get(token);
      if (term === undefined) {
        term = isContentWord(token) ? stemWord(token) : null;
        termOf.set(token, term);
      }
      if (term !== null) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    }
    return { length: new Set(tokens).size, frequencies };
  };
}

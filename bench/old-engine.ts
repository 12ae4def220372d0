import MiniSearch, { type Options } from 'minisearch';
import { contentTerms, isContentWord, stemWord, wordTokens } from '../core/tokenize.js';
import type { SearchIndex } from '../store/search-index.js';
import type { PassageStore } from '../core/passage-store.js';

/** The lexical engine this project used before compact postings: minisearch with our analyser. */
export const OLD_LEXICAL_OPTIONS: Options = {
  idField: 'id',
  fields: ['text'],
  tokenize: (text) => wordTokens(text),
  processTerm: (term) => (isContentWord(term) ? stemWord(term) : null),
  searchOptions: { combineWith: 'OR' },
};

/** Builds the old engine's BM25 index over chunk texts (id = chunk position). */
export function buildOldLexical(texts: string[]): MiniSearch {
  const lexical = new MiniSearch(OLD_LEXICAL_OPTIONS);
  lexical.addAll(texts.map((text, id) => ({ id, text })));
  return lexical;
}

/** Document frequencies as the old store counted them when it loaded: every chunk analysed again. */
export function countOldFrequencies(texts: string[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const text of texts) for (const term of new Set(contentTerms(text))) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  return frequencies;
}

/**
 * The old engine as a PassageStore: minisearch for BM25 and its counted frequencies, the same
 * HNSW graph, texts and chunks as `store` (dense search did not change).
 */
export function oldEngineStore(store: SearchIndex, lexical: MiniSearch, frequencies: Map<string, number>): PassageStore {
  return {
    ...store,
    async searchLexical(terms, limit) {
      const query = terms.map(({ term }) => term);
      return lexical
        .search(query.join(' '), { tokenize: () => query, processTerm: (term) => term, boostTerm: (_term, i) => terms[i].weight })
        .slice(0, limit)
        .map((result) => ({ chunkId: store.chunkIdAt(result.id as number), score: result.score }));
    },
    async getTermCounts(terms) {
      return { chunkCount: store.chunkCount, documentFrequency: new Map(terms.map((term) => [term, frequencies.get(term) ?? 0])) };
    },
  };
}

import MiniSearch, { type Options } from 'minisearch';
import { HEADING_FIELD_BOOST } from '../core/chunks/heading-field.js';
import { contentTerms, isContentWord, stemWord, wordTokens } from '../core/text/tokenize.js';
import type { SearchIndex } from '../store/search-index.js';
import type { PassageStore } from '../core/contracts/passage-store.js';

/**
 * The lexical engine this project used before compact postings: minisearch with our analyser, a
 * chunk's text and, boosted, its heading field (exactly the options store/search-index.ts had).
 */
export const OLD_LEXICAL_OPTIONS: Options = {
  idField: 'id',
  fields: ['text', 'heading'],
  tokenize: (text) => wordTokens(text),
  processTerm: (term) => (isContentWord(term) ? stemWord(term) : null),
  searchOptions: { combineWith: 'OR', boost: { heading: HEADING_FIELD_BOOST } },
};

/** Builds the old engine's BM25 index over chunks' fields (id = chunk position). */
export function buildOldLexical(fields: { text: readonly string[]; heading: readonly string[] }): MiniSearch {
  const lexical = new MiniSearch(OLD_LEXICAL_OPTIONS);
  lexical.addAll(fields.text.map((text, id) => ({ id, text, heading: fields.heading[id] })));
  return lexical;
}

/** Top `limit` chunk positions and scores for analysed, weighted terms, as the old store searched. */
export function searchOldLexical(lexical: MiniSearch, terms: { term: string; weight: number }[], limit: number) {
  const query = terms.map(({ term }) => term);
  return lexical
    .search(query.join(' '), { tokenize: () => query, processTerm: (term) => term, boostTerm: (_term, i) => terms[i].weight })
    .slice(0, limit)
    .map((result) => ({ chunk: result.id as number, score: result.score }));
}

/** Document frequencies as the old store counted them when it loaded: every chunk's text analysed again. */
export function countOldFrequencies(texts: readonly string[]): Map<string, number> {
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
      return searchOldLexical(lexical, terms, limit).map(({ chunk, score }) => ({ chunkId: store.chunkIdAt(chunk), score }));
    },
    async getTermCounts(terms) {
      return { chunkCount: store.chunkCount, documentFrequency: new Map(terms.map((term) => [term, frequencies.get(term) ?? 0])) };
    },
  };
}

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/generate-corpus.js';
import { contentTerms } from '../../core/tokenize.js';
import { bm25, inverseDocumentFrequency } from './bm25.js';
import { buildLexicalIndex } from './build-lexical-index.js';
import { searchLexicalIndex, type LexicalHit } from './search-lexical-index.js';
import type { WeightedTerm } from '../../core/passage-store.js';
import type { LexicalIndex } from './lexical-index.js';

/** Every chunk scored by the formula, no pruning: what MaxScore must return the top of. */
function exhaustive(index: LexicalIndex, texts: string[], query: WeightedTerm[], limit: number): LexicalHit[] {
  const [field] = index.fields;
  const analysed = texts.map((text) => contentTerms(text));
  const hits: LexicalHit[] = [];
  analysed.forEach((terms, chunk) => {
    const raw = new Map<string, number>();
    for (const { term } of query) {
      const frequency = terms.filter((t) => t === term).length;
      if (frequency === 0 || raw.has(term)) continue;
      const documentFrequency = analysed.filter((other) => other.includes(term)).length;
      raw.set(term, bm25(inverseDocumentFrequency(documentFrequency, texts.length), frequency, field.lengths[chunk], field.averageLength));
    }
    if (raw.size === 0) return;
    const sum = query.reduce((total, { term, weight }) => total + (raw.has(term) ? weight * raw.get(term)! : 0), 0);
    hits.push({ chunk, score: sum * raw.size });
  });
  return hits.sort((a, b) => b.score - a.score || a.chunk - b.chunk).slice(0, limit);
}

const WORDS = ['harbour', 'tide', 'lighthouse', 'keeper', 'turbine', 'engineer', 'storm', 'winter', 'boat', 'mooring', 'lamp', 'phase'];

function corpus(random: () => number, size: number): string[] {
  // Zipf-like: a few words in most chunks, most words in few, as real text has.
  const word = () => WORDS[Math.floor(WORDS.length * random() ** 2.5)];
  return Array.from({ length: size }, () => Array.from({ length: 3 + Math.floor(random() * 30) }, word).join(' the '));
}

describe('searchLexicalIndex (MaxScore over compact postings)', () => {
  it('returns exactly the top chunks and scores of exhaustive BM25, for weighted and repeated terms', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 20; round++) {
      const texts = corpus(random, 50 + Math.floor(random() * 300));
      const index = buildLexicalIndex(texts);
      const query = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
        term: contentTerms(WORDS[Math.floor(random() * WORDS.length)])[0],
        weight: random() < 0.3 ? 0.4 : 1,
      }));
      const limit = 1 + Math.floor(random() * 20);
      const found = searchLexicalIndex(index, query, limit);
      const expected = exhaustive(index, texts, query, limit);
      expect(found.map((hit) => hit.chunk)).toEqual(expected.map((hit) => hit.chunk));
      found.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i].score, 9));
    }
  });

  it('finds nothing for unknown terms, an empty query or a zero limit', () => {
    const index = buildLexicalIndex(['the harbour at high tide', 'a lighthouse keeper']);
    expect(searchLexicalIndex(index, [{ term: 'penguin', weight: 1 }], 5)).toEqual([]);
    expect(searchLexicalIndex(index, [], 5)).toEqual([]);
    expect(searchLexicalIndex(index, [{ term: 'harbour', weight: 1 }], 0)).toEqual([]);
  });
});

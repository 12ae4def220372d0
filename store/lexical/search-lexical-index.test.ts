import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/generate-corpus.js';
import { buildOldLexical, searchOldLexical } from '../../bench/old-engine.js';
import type { WeightedTerm } from '../../core/contracts/passage-store.js';
import { contentTerms } from '../../core/text/tokenize.js';
import { buildLexicalIndex } from './build-lexical-index.js';
import { searchLexicalIndex } from './search-lexical-index.js';

const WORDS = ['harbour', 'tide', 'lighthouse', 'keeper', 'turbine', 'engineer', 'storm', 'winter', 'boat', 'mooring', 'lamp', 'phase'];
const HEADINGS = ['Harbour', 'Storm season', 'The keeper', 'Turbine phase', 'Mooring rules', 'Winter'];

/**
 * Chunks with a text and a heading field (a path, then headings), Zipf-like as real text is: a
 * few words in most chunks, most words in few. Some chunks repeat earlier ones, so scores tie.
 */
function corpus(random: () => number, size: number): { text: string[]; heading: string[] } {
  const word = () => WORDS[Math.floor(WORDS.length * random() ** 2.5)];
  const text: string[] = [];
  const heading: string[] = [];
  for (let i = 0; i < size; i++) {
    if (i > 0 && random() < 0.2) {
      const copied = Math.floor(random() * i);
      text.push(text[copied]);
      heading.push(random() < 0.5 ? heading[copied] : `docs/file-${i}`);
      continue;
    }
    text.push(Array.from({ length: 3 + Math.floor(random() * 30) }, word).join(' the '));
    const headings = Array.from({ length: Math.floor(random() * 3) }, () => HEADINGS[Math.floor(random() * HEADINGS.length)]);
    heading.push([`docs/${word()}-notes`, ...headings].join('\n'));
  }
  return { text, heading };
}

function randomQuery(random: () => number): WeightedTerm[] {
  return Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
    term: contentTerms(random() < 0.15 ? 'notes season rules' : WORDS[Math.floor(random() * WORDS.length)])[0],
    weight: random() < 0.3 ? 0.4 : 1,
  }));
}

describe('searchLexicalIndex (MaxScore over compact postings)', () => {
  it('returns exactly what minisearch returned before it: the same chunks, scores to the bit, and order of ties', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 40; round++) {
      const fields = corpus(random, 30 + Math.floor(random() * 300));
      const index = buildLexicalIndex(fields);
      const reference = buildOldLexical(fields);
      for (let q = 0; q < 10; q++) {
        const query = randomQuery(random);
        const limit = 1 + Math.floor(random() * 20);
        expect(searchLexicalIndex(index, query, limit)).toEqual(searchOldLexical(reference, query, limit));
      }
    }
  });

  it('finds a term in the heading field too, and counts it once however many fields hold it', () => {
    const index = buildLexicalIndex({
      text: ['the keeper lights the lamp', 'the keeper lights the lamp', 'tide tables for the harbour'],
      heading: ['guide', 'guide\nLamp', 'guide\nLamp'],
    });
    const hits = searchLexicalIndex(
      index,
      [
        { term: 'lamp', weight: 1 },
        { term: 'keeper', weight: 1 },
      ],
      3,
    );
    // Chunk 1 has what chunk 0 has, and the heading besides; chunk 2 only the heading.
    expect(hits.map((hit) => hit.chunk)).toEqual([1, 0, 2]);
    const alone = searchLexicalIndex(index, [{ term: 'lamp', weight: 1 }], 3);
    expect(alone.find((hit) => hit.chunk === 1)!.score).toBeGreaterThan(alone.find((hit) => hit.chunk === 0)!.score);
  });

  it('keeps term frequencies above 255 exact', () => {
    const fields = { text: ['7 '.repeat(300), '7 '.repeat(260), '7 '.repeat(255)], heading: ['a', 'b', 'c'] };
    const query = [{ term: '7', weight: 1 }];
    expect(searchLexicalIndex(buildLexicalIndex(fields), query, 3)).toEqual(searchOldLexical(buildOldLexical(fields), query, 3));
  });

  it('finds nothing for unknown terms, an empty query or a zero limit', () => {
    const index = buildLexicalIndex({ text: ['the harbour at high tide', 'a lighthouse keeper'], heading: ['a', 'b'] });
    expect(searchLexicalIndex(index, [{ term: 'penguin', weight: 1 }], 5)).toEqual([]);
    expect(searchLexicalIndex(index, [], 5)).toEqual([]);
    expect(searchLexicalIndex(index, [{ term: 'harbour', weight: 1 }], 0)).toEqual([]);
  });
});

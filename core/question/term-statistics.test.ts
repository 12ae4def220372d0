import { describe, expect, it } from 'vitest';
import { InMemoryPassageStore } from '../../test/fakes/in-memory-passage-store.js';
import type { PassageStore, TermCounts } from '../contracts/passage-store.js';
import { fetchTermStatistics, questionVocabulary } from './term-statistics.js';
import { stemWord } from '../text/tokenize.js';

describe('fetchTermStatistics', () => {
  it('asks the store once, for every stem of the texts, and computes IDF from its counts', async () => {
    const store = await InMemoryPassageStore.fromDocuments([
      { docId: 'a.txt', title: 'a', text: 'Harbour tides.' },
      { docId: 'b.txt', title: 'b', text: 'Harbour moorings.' },
    ]);
    const asked: string[][] = [];
    const counting: PassageStore = Object.assign(Object.create(store) as PassageStore, {
      getTermCounts: async (terms: string[]): Promise<TermCounts> => {
        asked.push(terms);
        return store.getTermCounts(terms);
      },
    });
    const statistics = await fetchTermStatistics(counting, ['Which harbours have tides?', 'moorings']);
    expect(asked).toHaveLength(1);
    expect(statistics.documentFrequency('harbour')).toBe(2);
    expect(statistics.idf('tide')).toBeCloseTo(Math.log(1 + 2 / 2));
    expect(statistics.idf(stemWord('moorings'))).toBeCloseTo(statistics.idf('tide'));
    expect(() => statistics.idf('penguin')).toThrow(/"penguin" were not fetched/);
  });

  it('covers words as written too, so a refusal can weigh “o’clock” as the question spells it', () => {
    expect(questionVocabulary(['At six o’clock, Korea’s depot?'])).toEqual(
      expect.arrayContaining(["o'clock", 'o’clock', 'korea', 'depot']),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { plainDocument, verifierFor } from '../../test/helpers/stored-document.js';
import { CitationMapper, takeCompleteSentences } from './map-citations.js';

describe('takeCompleteSentences', () => {
  it('keeps trailing markers with their sentence and holds back the unfinished rest', () => {
    expect(takeCompleteSentences('First fact [1]. Second fact. [2] Third')).toEqual({
      sentences: ['First fact [1]. ', 'Second fact. [2] '],
      rest: 'Third',
    });
  });

  it('does not cut before a marker that may still follow', () => {
    expect(takeCompleteSentences('A fact. ')).toEqual({ sentences: [], rest: 'A fact. ' });
    expect(takeCompleteSentences('A fact. [')).toEqual({ sentences: [], rest: 'A fact. [' });
  });

  it('cuts at line breaks', () => {
    expect(takeCompleteSentences('- one [1]\n- two')).toEqual({ sentences: ['- one [1]\n'], rest: '- two' });
  });
});

describe('CitationMapper', () => {
  const text = 'The depot opens at 7am. The depot closes at 9pm.';
  const passage = {
    chunkId: 'memo.txt#0',
    docId: 'memo.txt',
    title: 'memo',
    start: 100,
    end: 100 + text.length,
    score: 1,
    text,
    path: 'memo.txt',
    url: null,
    page: null,
    headingPath: [],
  };
  const verify = verifierFor([plainDocument('memo.txt', `${'x'.repeat(100)}${text}`, 'memo')]);

  it('maps every marker style to the supporting sentence, renumbered', async () => {
    const mapper = new CitationMapper([passage], verify);
    expect((await mapper.mapSentence('It opens at 7am [Passage 1].')).text).toBe('It opens at 7am [1].');
    expect((await mapper.mapSentence('It closes at 9pm [1; 1]. ')).text).toBe('It closes at 9pm [2]. ');
    expect(mapper.citations.map((c) => [c.n, c.start, c.quote])).toEqual([
      [1, 100, 'The depot opens at 7am.'],
      [2, 124, 'The depot closes at 9pm.'],
    ]);
    expect(mapper.dropped).toBe(0);
  });

  it('drops markers to missing passages and to passages that do not support the sentence', async () => {
    const mapper = new CitationMapper([passage], verify);
    expect((await mapper.mapSentence('Penguins like ice [1][2].')).text).toBe('Penguins like ice.');
    expect(mapper.dropped).toBe(2);
    expect(mapper.citations).toEqual([]);
  });

  it('verifies each citation as it is made: a span that is not the stored text is dropped, never emitted', async () => {
    const altered = verifierFor([plainDocument('memo.txt', `${'x'.repeat(100)}The depot opens at 8am. The depot closes at 9pm.`, 'memo')]);
    const mapper = new CitationMapper([passage], altered);
    const opens = await mapper.mapSentence('It opens at 7am [1]. ');
    expect(opens).toEqual({ text: 'It opens at 7am. ', added: [] });
    expect(mapper.dropped).toBe(1);
    const closes = await mapper.mapSentence('It closes at 9pm [1].');
    expect(closes.added).toEqual([expect.objectContaining({ n: 1, quote: 'The depot closes at 9pm.', verified: true })]);
  });
});

import { describe, expect, it } from 'vitest';
import { takeCompleteSentences } from './map-citations.js';

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

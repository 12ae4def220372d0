import { describe, expect, it } from 'vitest';
import { wordTokens } from '../text/tokenize.js';
import { alignQuestion } from './align-question.js';

describe('alignQuestion', () => {
  it('finds a word swapped inside a stretch the sentence otherwise copies', () => {
    const alignment = alignQuestion(
      wordTokens('What is often seen as a scientific abstraction modeling computational tasks?'),
      'The class P is often seen as a mathematical abstraction modeling computational tasks.',
    );
    expect(alignment.substituted).toEqual(['scientific']);
  });

  it('counts a name whose words come in another order, and phrases kept together', () => {
    const swapped = alignQuestion(wordTokens('Which Major Soccer League teams played?'), 'Two Major League Soccer teams played there.');
    expect(swapped.reordered).toBe(1);
    const copied = alignQuestion(wordTokens('Which Major League Soccer teams played?'), 'Two Major League Soccer teams played there.');
    expect(copied.reordered).toBe(0);
    expect(copied.pairCoverage).toBeGreaterThan(swapped.pairCoverage);
  });

  it('does not count a paraphrase at the question\u2019s edge as a swap', () => {
    expect(
      alignQuestion(wordTokens('Who founded the company in 1998?'), 'The company was founded by Ada Lane in 1998.').substituted,
    ).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { composeAnswer } from './compose-answer.js';
import type { ScoredUnit } from '../units/score-units.js';

const passage = {
  chunkId: 'd#0',
  docId: 'd.md',
  title: 'd',
  start: 0,
  end: 100,
  score: 1,
  text: '',
  path: 'd.md',
  url: null,
  page: null,
  headingPath: [],
};
function unit(kind: ScoredUnit['kind'], spans: [number, string][], language?: string): ScoredUnit {
  const own = spans.at(-1)!;
  return {
    kind,
    docId: 'd.md',
    spans: spans.map(([start, text]) => ({ start, end: start + text.length, text })),
    start: own[0],
    end: own[0] + own[1].length,
    text: own[1],
    context: '',
    passage,
    passageRank: 0,
    structured: kind !== 'sentence',
    language,
    terms: new Set(),
    coverage: 1,
    contextCoverage: 1,
    similarity: 0,
    score: 1,
  };
}

describe('composeAnswer', () => {
  it('quotes sentences inline, each followed by its marker', () => {
    const { answer, citations } = composeAnswer([unit('sentence', [[0, 'One.']]), unit('sentence', [[10, 'Two.']])]);
    expect(answer).toBe('One. [1] Two. [2]');
    expect(citations.map((c) => [c.n, c.start, c.end, c.quote])).toEqual([
      [1, 0, 4, 'One.'],
      [2, 10, 14, 'Two.'],
    ]);
  });

  it('fences code and keeps a table row under its header, each marker on the line it cites, so the Markdown still renders', () => {
    const code = unit(
      'code',
      [
        [0, 'Install it:'],
        [20, 'npm install x'],
      ],
      'sh',
    );
    const row = unit('table-row', [
      [40, '| Option   | Default |\n| -------- | ------- |'],
      [80, '| `port`   | `8080`  |'],
    ]);
    const { answer, citations } = composeAnswer([code, row]);
    expect(answer).toBe(
      'Install it: [1]\n\n```sh\nnpm install x\n```\n[2]\n\n| Option | Default [3] |\n| --- | --- |\n| `port` | `8080` [4] |',
    );
    // Display collapses table padding; the citations keep the exact source text.
    expect(citations[3].quote).toBe('| `port`   | `8080`  |');
  });

  it('gives a table read from HTML (no separator line) the separator Markdown needs', () => {
    const row = unit('table-row', [
      [0, 'Crane | Capacity'],
      [17, 'Gantry A | 65 tonnes'],
    ]);
    expect(composeAnswer([row]).answer).toBe('Crane | Capacity [1]\n--- | ---\nGantry A | 65 tonnes [2]');
  });

  it('shows the heading a unit is about as its label, never as a quoted line of its own', () => {
    const option = { ...unit('list-item', [[50, '- Set to `undefined` to leave it out.']]), label: '`base` (Object)' };
    const sentence = { ...unit('sentence', [[90, 'Defaults to 300.']]), label: 'ttl' };
    const { answer, citations } = composeAnswer([option, sentence]);
    expect(answer).toBe('**`base` (Object)**\n\n- Set to `undefined` to leave it out. [1]\n\n**ttl**: Defaults to 300. [2]');
    expect(citations.map((c) => c.quote)).toEqual(['- Set to `undefined` to leave it out.', 'Defaults to 300.']);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStoredDocument, unitSourceOf } from '../../test/helpers/stored-document.js';
import { ROOT } from '../../test/paths.js';
import { buildAnswerUnits, isProse, type AnswerUnit } from './answer-units.js';

const readme = await readStoredDocument('widget/README.md', readFileSync(join(ROOT, 'test/fixtures/answers/widget/README.md'), 'utf8'));
const { text } = readme;
const units = buildAnswerUnits([unitSourceOf(readme)]);
const shown = (unit: AnswerUnit) => unit.spans.map((span) => span.text);

describe('buildAnswerUnits on a Markdown README', () => {
  it('cuts every span verbatim from the document', () => {
    for (const unit of units) for (const span of unit.spans) expect(text.slice(span.start, span.end)).toBe(span.text);
  });

  it('offers a code block together with the sentence that introduces it, and never that sentence alone', () => {
    const code = units.find((unit) => unit.kind === 'code')!;
    expect(shown(code)).toEqual(['Install the command-line tool globally with npm:', 'npm install -g widget-cli']);
    expect(code.language).toBe('sh');
    expect(units.filter((unit) => unit.kind === 'sentence').map((unit) => unit.text)).not.toContain(
      'Install the command-line tool globally with npm:',
    );
  });

  it('offers each table row with the table header, and list items whole', () => {
    const row = units.find((unit) => unit.kind === 'table-row' && unit.text.includes('`theme`'))!;
    expect(shown(row)[0]).toMatch(/^\| Option +\| Default +\| Description/);
    expect(shown(row)[1]).toBe('| `theme`     | `light` | Colour theme of the rendered dashboards.      |');
    expect(units.filter((unit) => unit.kind === 'list-item').map((unit) => unit.text)).toEqual([
      '- Rendered panels are cached in `.widget-cache` for ten minutes.',
      '- Pass `--no-cache` to render every panel afresh.',
    ]);
  });

  it('never offers a bare heading, badge or link definition, and knows the headings above each unit', () => {
    expect(units.some((unit) => /^#|img\.shields|^\[widget-cli\]:/.test(unit.text))).toBe(false);
    expect(units.find((unit) => unit.kind === 'list-item')).toMatchObject({
      context: 'widget-cli › Caching',
      heading: { text: 'Caching' },
    });
  });

  it('splits prose documents into sentences', async () => {
    const plain = buildAnswerUnits([unitSourceOf(await readStoredDocument('a.txt', 'Gears runs jobs. It retries them.'))]);
    expect(plain.map((unit) => [unit.kind, unit.text])).toEqual([
      ['sentence', 'Gears runs jobs.'],
      ['sentence', 'It retries them.'],
    ]);
  });
});

describe('isProse', () => {
  it.each([
    ['[![npm](https://img.shields.io/x.svg)](https://npmjs.org/x)', false],
    ['[![NPM Version][npm-version-image]][npm-url]\n[![Node.js Version][node-image]][node-url]', false],
    ['https://example.com/docs', false],
    ['<p align="center">', false],
    ['See [the docs](https://example.com) for more.', true],
  ])('%s → %s', (markdown, expected) => expect(isProse(markdown)).toBe(expected));
});

import { describe, expect, it } from 'vitest';
import { scanMarkdownBlocks, textBlocksOf } from './text-blocks.js';

const markdown = [
  '# Title with `code`',
  '',
  '[![badge](https://img.shields.io/x.svg)](https://example.com)',
  '',
  'Intro paragraph that',
  'wraps over two lines:',
  '',
  '```js',
  'const a = 1;',
  '',
  'const b = 2;',
  '```',
  '',
  'Setext heading',
  '--------------',
  '',
  '| Option | Default |',
  '| ------ | ------- |',
  '| `port` | `8080`  |',
  '',
  '- first item',
  '  continued',
  '  - nested item',
  '- second item',
  '',
  '> a quote',
  '',
  '<p align="center">',
  '',
  '[ref]: https://example.com/ref',
].join('\n');

describe('scanMarkdownBlocks', () => {
  const blocks = scanMarkdownBlocks(markdown);
  const slices = blocks.map((block) => [block.kind, markdown.slice(block.start, block.end)]);

  it('finds each kind of block with its exact span of the text', () => {
    expect(slices).toEqual([
      ['heading', '# Title with `code`'],
      ['paragraph', '[![badge](https://img.shields.io/x.svg)](https://example.com)'],
      ['paragraph', 'Intro paragraph that\nwraps over two lines:'],
      ['code', '```js\nconst a = 1;\n\nconst b = 2;\n```'],
      ['heading', 'Setext heading\n--------------'],
      ['table-header', '| Option | Default |\n| ------ | ------- |'],
      ['table-row', '| `port` | `8080`  |'],
      ['list-item', '- first item\n  continued'],
      ['list-item', '  - nested item'],
      ['list-item', '- second item'],
      ['quote', '> a quote'],
      ['html', '<p align="center">'],
      ['definition', '[ref]: https://example.com/ref'],
    ]);
  });

  it('keeps code fences whole, blank lines included, and notes heading levels and languages', () => {
    expect(blocks.find((b) => b.kind === 'code')?.language).toBe('js');
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.level)).toEqual([1, 2]);
  });

  it('shifts offsets when given a slice of a document', () => {
    const [block] = scanMarkdownBlocks('Some text.', 100);
    expect(block).toEqual({ kind: 'paragraph', start: 100, end: 110 });
  });
});

describe('textBlocksOf', () => {
  it('takes the ingest blocks of an HTML document, the first row of each table as its header', () => {
    const place = { headingPath: [], page: null };
    const blocks = textBlocksOf([
      { kind: 'heading', start: 0, end: 6, depth: 2, ...place },
      { kind: 'table-row', start: 8, end: 20, ...place },
      { kind: 'table-row', start: 21, end: 33, ...place },
      { kind: 'paragraph', start: 35, end: 40, ...place },
      { kind: 'table-row', start: 42, end: 50, ...place },
    ]);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'table-header', 'table-row', 'paragraph', 'table-header']);
    expect(blocks[0].level).toBe(2);
  });
});

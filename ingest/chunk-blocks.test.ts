import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../core/text/normalize-text.js';
import type { Block, Chunk } from '../core/contracts/types.js';
import { STRUCTURED_DOCS } from '../test/paths.js';
import { chunkBlocks } from './chunk-blocks.js';
import { parseMarkdown } from './parse-markdown.js';

/** A small deterministic generator so the generated documents are the same on every run. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** A Markdown document of sections with prose, code fences, tables and nested lists, some bigger than a chunk. */
function generatedMarkdown(seed: number): string {
  const next = random(seed);
  const words = ['harbour', 'tide', 'berth', 'pontoon', 'ferry', 'café', '日本', 'port', 'crane', 'dock'];
  const sentence = () =>
    Array.from({ length: 4 + Math.floor(next() * 14) }, () => words[Math.floor(next() * words.length)]).join(' ') + '.';
  const parts: string[] = ['# Harbour handbook'];
  for (let s = 0; s < 12; s++) {
    parts.push(`${'#'.repeat(2 + Math.floor(next() * 2))} Section \`s${s}\``);
    const kind = Math.floor(next() * 4);
    if (kind === 0) parts.push(Array.from({ length: 1 + Math.floor(next() * 8) }, sentence).join(' '));
    if (kind === 1)
      parts.push(
        '```js\n' + Array.from({ length: 2 + Math.floor(next() * 40) }, (_, i) => `call(${i}); // ${sentence()}`).join('\n') + '\n```',
      );
    if (kind === 2)
      parts.push(
        ['| a | b |', '|---|---|', ...Array.from({ length: 2 + Math.floor(next() * 30) }, () => `| ${sentence()} | ${sentence()} |`)].join(
          '\n',
        ),
      );
    if (kind === 3)
      parts.push(Array.from({ length: 2 + Math.floor(next() * 12) }, (_, i) => `${'  '.repeat(i % 2)}- ${sentence()}`).join('\n'));
  }
  return normalizeText(parts.join('\n\n'));
}

/** Checks what every chunking must hold, and returns the chunks. */
function checkedChunks(text: string, blocks: Block[], chunkSize: number, chunkOverlap: number): Chunk[] {
  const chunks = chunkBlocks('doc.md', text, blocks, { chunkSize, chunkOverlap });
  chunks.forEach((chunk, i) => {
    expect(chunk.chunkId).toBe(`doc.md#${i}`);
    expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    expect(chunk.text.length).toBeLessThanOrEqual(chunkSize);
    expect(chunk.text).toBe(chunk.text.trim());
    if (i > 0) expect(chunk.start).toBeGreaterThan(chunks[i - 1].start);
  });
  for (const block of blocks) {
    const size = block.end - block.start;
    // A block that fits in a chunk is never cut: every chunk holds all of it or none of it.
    if (size <= chunkSize) {
      const cut = chunks.filter((c) => c.start < block.end && block.start < c.end && (c.start > block.start || c.end < block.end));
      expect(cut).toEqual([]);
    }
  }
  // Nothing is lost: every character of every block is in some chunk (gaps between chunks are blank).
  const covered = new Uint8Array(text.length);
  for (const chunk of chunks) covered.fill(1, chunk.start, chunk.end);
  const lost = blocks.flatMap((block) =>
    [...text.slice(block.start, block.end)].filter((c, i) => !covered[block.start + i] && /\S/.test(c)),
  );
  expect(lost).toEqual([]);
  // A chunk ends on a heading only when nothing follows it.
  for (const chunk of chunks.slice(0, -1)) {
    const last = blocks.filter((b) => b.start < chunk.end).at(-1)!;
    expect(last.kind === 'heading' && last.end === chunk.end).toBe(false);
  }
  return chunks;
}

describe('chunkBlocks', () => {
  it('never cuts a code block, table row or list item that fits, over generated documents', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const text = generatedMarkdown(seed);
      checkedChunks(text, parseMarkdown(text).blocks, 600, 120);
    }
  });

  it('cuts a code block bigger than a chunk at its lines', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `const value${i} = compute(${i}); // step ${i} of the berth plan`);
    const text = `## Plan\n\n\`\`\`js\n${lines.join('\n')}\n\`\`\``;
    const chunks = checkedChunks(text, parseMarkdown(text).blocks, 500, 100);
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) {
      expect(chunk.start === 0 || text[chunk.start - 1] === '\n').toBe(true);
      expect(chunk.end === text.length || text[chunk.end] === '\n').toBe(true);
    }
    // Whole lines repeat between neighbours, within the overlap.
    const repeated = chunks[1].text.split('\n')[0];
    expect(chunks[0].text.split('\n')).toContain(repeated);
  });

  it('cuts a line bigger than a chunk at spaces', () => {
    const text = `Intro.\n\n${Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ')}`;
    const blocks = parseMarkdown(text).blocks;
    const chunks = checkedChunks(text, blocks, 200, 40);
    for (const chunk of chunks) expect(chunk.text).toMatch(/^(Intro\.|word\d+)[\s\S]*(\.|word\d+)$/);
  });

  it('keeps a table row whole and a heading with the section it opens, on the fixture', () => {
    const text = normalizeText(readFileSync(`${STRUCTURED_DOCS}/handbook/deploy.md`, 'utf8'));
    const blocks = parseMarkdown(text).blocks;
    const chunks = checkedChunks(text, blocks, 160, 40);
    const row = '| `HARBOUR_PORT` | `8080` | port to listen on |';
    expect(chunks.some((chunk) => chunk.text.includes(row))).toBe(true);
    expect(chunks.map((chunk) => chunk.text.split('\n')[0])).toContain('### Environment');
  });

  it('gives the same chunks and ids for the same text', () => {
    const text = generatedMarkdown(3);
    const blocks = parseMarkdown(text).blocks;
    expect(chunkBlocks('doc.md', text, blocks, { chunkSize: 400, chunkOverlap: 80 })).toEqual(
      chunkBlocks('doc.md', text, parseMarkdown(text).blocks, { chunkSize: 400, chunkOverlap: 80 }),
    );
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { makePdf } from '../test/helpers/make-pdf.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest-limits.js';
import { loadDocuments } from './load-documents.js';

/** A folder with the given files plus one ordinary document, loaded with `limits`. */
async function load(files: Record<string, string | Buffer>, limits: Partial<IngestLimits> = {}) {
  const folder = temporaryDir();
  writeFileSync(join(folder, 'ok.txt'), 'An ordinary document about harbours.');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return loadDocuments(folder, { ...DEFAULT_INGEST_LIMITS, ...limits });
}

describe('ingest limits', () => {
  it('skips a file over the size limit, naming the limit and its setting, before reading it', async () => {
    const result = await load({ 'big.txt': 'x'.repeat(5000), 'small.txt': 'Small text.' }, { maxFileBytes: 4096 });
    expect(result.skipped).toEqual([{ path: 'big.txt', reason: 'larger than 4 KB (INGEST_MAX_FILE_SIZE)' }]);
    expect(result.documents.map((d) => d.docId)).toEqual(['ok.txt', 'small.txt']);
  });

  it('skips a PDF whose streams inflate past the limit (a compression bomb) before pdf.js parses it', async () => {
    const bomb = makePdf(['Harbour report'], { inflatedPadding: 3 * 1024 * 1024 });
    expect(bomb.length).toBeLessThan(20_000);
    const fine = makePdf(['The Zephyr turbine produces 42 megawatts.'], { inflatedPadding: 1000 });
    const result = await load({ 'bomb.pdf': bomb, 'fine.pdf': fine }, { maxPdfDecompressedBytes: 1024 * 1024 });
    expect(result.skipped).toEqual([
      { path: 'bomb.pdf', reason: 'PDF content inflates to more than 1 MB (INGEST_MAX_PDF_DECOMPRESSED_SIZE)' },
    ]);
    expect(result.documents.find((d) => d.docId === 'fine.pdf')?.text).toContain('The Zephyr turbine produces 42 megawatts.');
  });

  it('skips a PDF with more pages than the limit', async () => {
    const result = await load(
      { 'long.pdf': makePdf(['one', 'two', 'three']), 'short.pdf': makePdf(['Page one text.', 'Page two text.']) },
      { maxPdfPages: 2 },
    );
    expect(result.skipped).toEqual([{ path: 'long.pdf', reason: 'PDF has 3 pages, more than 2 (INGEST_MAX_PDF_PAGES)' }]);
    expect(result.documents.find((d) => d.docId === 'short.pdf')?.text).toMatch(/Page one text\.\s+Page two text\./);
  });

  it('skips HTML over the size limit instead of silently truncating it', async () => {
    const html = `<html><body>${'<p>Tide table entry.</p>'.repeat(Math.ceil((DEFAULT_INGEST_LIMITS.maxHtmlBytes + 1) / 23))}<p>END</p></body></html>`;
    const result = await load({ 'huge.html': html });
    expect(result.skipped).toEqual([{ path: 'huge.html', reason: 'HTML larger than 10 MB (INGEST_MAX_HTML_SIZE)' }]);
  });

  it('skips deeply nested HTML before extracting its text, and reads ordinary nesting', async () => {
    const deep = `<html><body>${'<div>'.repeat(100_000)}deep text${'</div>'.repeat(100_000)}</body></html>`;
    const nested = `<html><body>${'<div>'.repeat(40)}<p>Nested text survives.</p>${'</div>'.repeat(40)}<br><img src="x"><input></body></html>`;
    const result = await load({ 'deep.html': deep, 'nested.html': nested });
    expect(result.skipped).toEqual([{ path: 'deep.html', reason: 'HTML nested deeper than 256 elements (INGEST_MAX_HTML_DEPTH)' }]);
    expect(result.documents.find((d) => d.docId === 'nested.html')?.text).toContain('Nested text survives.');
  });

  it('counts void and unclosed elements as closed, so a long flat page is not taken for a deep one', async () => {
    const flat = `<html><body>${'<p>Line<br>with <img src="a.png"> break'.repeat(2000)}</body></html>`;
    const result = await load({ 'flat.html': flat });
    expect(result.skipped).toEqual([]);
  });
});

// Issue 26, findings 2, 3 and 4: every parser is bounded per file, and one file never aborts the run.

describe('Markdown bounds (finding 2)', () => {
  it('skips Markdown over INGEST_MAX_MARKDOWN_SIZE before parsing it, and goes on', async () => {
    const line = 'word *em* [link](x) '.repeat(5_000); // 100 kB on one line
    const result = await load({ 'line.md': line, 'small.md': '# Small\n\nA small note.' }, { maxMarkdownBytes: 64 * 1024 });
    expect(result.skipped).toEqual([{ path: 'line.md', reason: 'Markdown larger than 64 KB (INGEST_MAX_MARKDOWN_SIZE)' }]);
    expect(result.documents.map((d) => d.docId)).toEqual(['ok.txt', 'small.md']);
  });

  it('skips a table of more rows than INGEST_MAX_MARKDOWN_TABLE_ROWS (default 10000) before parsing it', async () => {
    const table = `# Log\n\n| berth | ship |\n|---|---|\n${'| 1 | Ada |\n'.repeat(20_000)}`;
    const started = performance.now();
    const result = await load({ 'table.md': table, 'fine.md': `| a | b |\n|---|---|\n${'| 1 | 2 |\n'.repeat(50)}` });
    expect(result.skipped).toEqual([{ path: 'table.md', reason: 'Markdown table rows: more than 10000 (INGEST_MAX_MARKDOWN_TABLE_ROWS)' }]);
    expect(result.documents.map((d) => d.docId)).toContain('fine.md');
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('skips a file whose parser needs more memory than INGEST_MAX_PARSE_MEMORY: the reader dies, the run does not', async () => {
    const heavy = 'word *em* [link](x) '.repeat(15_000); // 300 kB of inline constructs: hundreds of MB to parse
    const result = await load({ 'heavy.md': heavy, 'light.md': '# Light\n\nA light note.' }, { maxParseMemoryBytes: 64 * 1024 * 1024 });
    expect(result.skipped).toEqual([{ path: 'heavy.md', reason: 'needs more than 64 MB of memory to read (INGEST_MAX_PARSE_MEMORY)' }]);
    expect(result.documents.map((d) => d.docId)).toEqual(['light.md', 'ok.txt']);
  });

  it('skips a file that takes longer than INGEST_MAX_PARSE_SECONDS to read', async () => {
    const slow = '>'.repeat(6_000); // quadratic in micromark; let past the depth check here
    const result = await load({ 'slow.md': slow, 'quick.md': 'Quick.' }, { maxParseSeconds: 1, maxMarkdownDepth: 100_000 });
    expect(result.skipped).toEqual([{ path: 'slow.md', reason: 'took longer than 1 s to read (INGEST_MAX_PARSE_SECONDS)' }]);
    expect(result.documents.map((d) => d.docId)).toEqual(['ok.txt', 'quick.md']);
  });
});

describe('PDF filter chains (finding 3)', () => {
  it('counts decoded bytes across every filter of a chain, so a double-compressed or hex-wrapped bomb is skipped', async () => {
    const limit = { maxPdfDecompressedBytes: 1024 * 1024 };
    const padding = 3 * 1024 * 1024;
    const result = await load(
      {
        'flate-flate.pdf': makePdf(['Harbour report'], { inflatedPadding: padding, filters: ['FlateDecode', 'FlateDecode'] }),
        'hex-flate.pdf': makePdf(['Harbour report'], { inflatedPadding: padding, filters: ['ASCIIHexDecode', 'FlateDecode'] }),
        'indirect.pdf': makePdf(['Harbour report'], {
          inflatedPadding: padding,
          filters: ['FlateDecode', 'FlateDecode'],
          indirectFilter: true,
        }),
        'a85-flate.pdf': makePdf(['The Zephyr turbine produces 42 megawatts.'], {
          inflatedPadding: 1000,
          filters: ['ASCII85Decode', 'FlateDecode'],
        }),
      },
      limit,
    );
    const reason = 'PDF content inflates to more than 1 MB (INGEST_MAX_PDF_DECOMPRESSED_SIZE)';
    expect(result.skipped).toEqual([
      { path: 'flate-flate.pdf', reason },
      { path: 'hex-flate.pdf', reason },
      { path: 'indirect.pdf', reason },
    ]);
    expect(result.documents.find((d) => d.docId === 'a85-flate.pdf')?.text).toContain('The Zephyr turbine produces 42 megawatts.');
  });
});

describe('Markdown nesting (finding 4)', () => {
  it('skips Markdown nested deeper than INGEST_MAX_MARKDOWN_DEPTH (default 32) before parsing it, and reads ordinary nesting', async () => {
    const quotes = '>'.repeat(100_000); // 100 kB of nested quotes: minutes to parse
    const list = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    const inline = `${'- '.repeat(500)}x`;
    const ordinary = ['# Guide', '', '> quoted', '> > twice', '', '- one', '  - two', '    - three', '      1. four', ''].join('\n');
    const started = performance.now();
    const result = await load({ 'quotes.md': quotes, 'list.md': list, 'inline.md': inline, 'ordinary.md': ordinary });
    const reason = 'Markdown nested deeper than 32 levels (INGEST_MAX_MARKDOWN_DEPTH)';
    expect(result.skipped).toEqual([
      { path: 'inline.md', reason },
      { path: 'list.md', reason },
      { path: 'quotes.md', reason },
    ]);
    expect(result.documents.map((d) => d.docId)).toEqual(['ok.txt', 'ordinary.md']);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});

describe('heading paths', () => {
  it('cut a heading to 300 characters in the path every block under it repeats', async () => {
    const markdown = `# ${'Harbour '.repeat(12_500)}\n\n${Array.from({ length: 2000 }, (_, i) => `Paragraph ${i}.`).join('\n\n')}`;
    const result = await load({ 'long-heading.md': markdown });
    const document = result.documents.find((d) => d.docId === 'long-heading.md')!;
    expect(document.blocks).toHaveLength(2001);
    for (const block of document.blocks) expect(block.headingPath.every((heading) => heading.length <= 300)).toBe(true);
    expect(document.blocks[1].headingPath[0]).toMatch(/^Harbour Harbour .*…$/);
  });
});

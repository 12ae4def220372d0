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

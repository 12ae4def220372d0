import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../core/text/normalize-text.js';
import type { Block } from '../core/contracts/types.js';
import { STRUCTURED_DOCS } from '../test/paths.js';
import { readDocument, type ReadDocument } from './read-document.js';

async function read(path: string): Promise<ReadDocument> {
  const result = await readDocument(path, readFileSync(`${STRUCTURED_DOCS}/${path}`));
  if ('skip' in result) throw new Error(`${path} was skipped: ${result.skip}`);
  return result;
}

const spans = (text: string, blocks: Block[]) => blocks.map((b) => [b.kind, text.slice(b.start, b.end), b.headingPath.join(' › ')]);

describe('readDocument: HTML', () => {
  it('stores the readable text, without head, scripts, styles or navigation, already normalised', async () => {
    const { text, kind } = await read('page.html');
    expect(kind).toBe('html');
    expect(normalizeText(text)).toBe(text);
    expect(text).not.toMatch(/tracking|font-family|Home|About|<|&euro;/);
    expect(text.startsWith('Port Elin harbour\n\nHigh tide arrives at 06:40 on weekdays, and at 07:15 at weekends.')).toBe(true);
  });

  it('gives headings, list items (nested after their parent), table rows, code and quotes exact offsets into that text', async () => {
    const { text, blocks } = await read('page.html');
    expect(spans(text, blocks)).toEqual([
      ['heading', 'Port Elin harbour', 'Port Elin harbour'],
      ['paragraph', 'High tide arrives at 06:40 on weekdays, and at 07:15 at weekends.', 'Port Elin harbour'],
      ['heading', 'Moorings', 'Port Elin harbour › Moorings'],
      ['list-item', 'Visitor berths: 40', 'Port Elin harbour › Moorings'],
      ['list-item', 'Pontoon A: 25', 'Port Elin harbour › Moorings'],
      ['list-item', 'Pontoon B: 15', 'Port Elin harbour › Moorings'],
      ['list-item', 'Resident berths: 80', 'Port Elin harbour › Moorings'],
      ['heading', 'Fees', 'Port Elin harbour › Fees'],
      ['table-row', 'Boat length | Fee per night', 'Port Elin harbour › Fees'],
      ['table-row', 'Under 10 m | €18', 'Port Elin harbour › Fees'],
      ['table-row', '10 m and over | €26', 'Port Elin harbour › Fees'],
      ['heading', 'Paying', 'Port Elin harbour › Fees › Paying'],
      ['code', 'pay --berth A12 --nights 2\npay --receipt', 'Port Elin harbour › Fees › Paying'],
      ['quote', 'Cash is no longer accepted.', 'Port Elin harbour › Fees › Paying'],
      ['paragraph', 'Harbour master: Mara Quinn\nPhone: 555 0100', 'Port Elin harbour › Fees › Paying'],
    ]);
    expect(blocks.filter((b) => b.kind === 'list-item').map((b) => b.depth)).toEqual([1, 2, 2, 1]);
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.depth)).toEqual([1, 2, 2, 3]);
  });

  it('offers the <title>, then the first h1, as titles', async () => {
    expect((await read('page.html')).titles).toEqual({ declared: ['Tide Tables & Moorings', 'Port Elin harbour'] });
  });
});

describe('readDocument: PDF', () => {
  it("joins the pages' text, and every block knows its page (empty pages leave no block)", async () => {
    const { text, blocks, pages, kind, titles } = await read('manual.pdf');
    expect(kind).toBe('pdf');
    expect(pages).toBe(3);
    expect(titles).toEqual({ declared: ['Harbour Operations Manual'] });
    expect(blocks.map((b) => [b.page, text.slice(b.start, b.end)])).toEqual([
      [1, 'Harbour Operations Manual\nThe harbour opens at 7am every day.'],
      [3, 'Safety\nLife jackets are kept in locker 3.\nThe fire pump is tested every Monday.'],
    ]);
  });
});

describe('readDocument: plain text and files without an extension', () => {
  it('reads an extension-less text file as plain text, one paragraph block per run of lines', async () => {
    const { text, kind, blocks, titles } = await read('handbook/LICENSE');
    expect(kind).toBe('text');
    expect(blocks.map((b) => text.slice(b.start, b.end))).toEqual([
      'MIT License',
      'Copyright (c) 2024 Harbour Office',
      'Permission is hereby granted, free of charge, to any person obtaining a copy.',
    ]);
    expect(titles).toEqual({ declared: [], guessed: 'MIT License' });
  });

  it('skips a binary file without an extension, saying why', async () => {
    expect(await readDocument('handbook/logo', readFileSync(`${STRUCTURED_DOCS}/handbook/logo`))).toEqual({
      skip: 'binary file (not UTF-8 text)',
    });
    expect(await readDocument('notes', Buffer.from([0xc3, 0x28, 0x41]))).toEqual({ skip: 'binary file (not UTF-8 text)' });
  });

  it('skips unknown extensions and files with no text', async () => {
    expect(await readDocument('data.csv', Buffer.from('a,b'))).toEqual({ skip: expect.stringMatching(/^unsupported file type/) });
    expect(await readDocument('empty.md', Buffer.from('  \n\n'))).toEqual({ skip: 'no text found' });
  });
});

describe('readDocument: HTML edge cases', () => {
  it('keeps a table row with empty cells, composes Unicode and drops hidden elements', async () => {
    const html = '<table><tr><td>Cafe\u0301</td><td></td></tr></table><p hidden>secret</p><h2>  Tides<br>and moorings </h2>';
    const read = await readDocument('edge.html', Buffer.from(html));
    if ('skip' in read) throw new Error(read.skip);
    expect(read.text).toBe('Café |\n\nTides and moorings');
    expect(read.blocks.map((b) => [b.kind, read.text.slice(b.start, b.end)])).toEqual([
      ['table-row', 'Café |'],
      ['heading', 'Tides and moorings'],
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR } from '../../test/paths.js';
import { chunkText } from './chunk-text.js';
import { normalizeText } from '../text/normalize-text.js';

function expectExactOffsets(text: string, chunks: Awaited<ReturnType<typeof chunkText>>) {
  expect(chunks.length).toBeGreaterThan(0);
  for (const chunk of chunks) expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
}

/** A small deterministic generator so the generated texts are the same on every run. */
function random(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('chunkText', () => {
  it('gives exact offsets for every chunk of the bundled corpus', async () => {
    const text = normalizeText(readFileSync(`${CORPUS_DIR}/south-korea-physical-ai.txt`, 'utf8'));
    const chunks = await chunkText('doc.txt', text, { chunkSize: 1000, chunkOverlap: 200 });
    expectExactOffsets(text, chunks);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });

  it('gives exact offsets over generated unicode, CRLF and very long lines', async () => {
    const next = random(7);
    const alphabet = ['é', 'ß', '日本', '🙂', 'a', 'word', ' ', ' ', '\r\n', '\n\n', '“q”', '—', '\t', 'x'.repeat(50)];
    for (let sample = 0; sample < 20; sample++) {
      let raw = '';
      const length = 200 + Math.floor(next() * 6000);
      while (raw.length < length) raw += alphabet[Math.floor(next() * alphabet.length)];
      if (sample % 5 === 0) raw += 'y'.repeat(5000); // one line far longer than a chunk
      const text = normalizeText(raw);
      if (text.length === 0) continue;
      const chunks = await chunkText(`gen-${sample}`, text, { chunkSize: 300 + sample * 20, chunkOverlap: 50 });
      expectExactOffsets(text, chunks);
    }
  });

  it('numbers chunk ids stably: the same text gives the same ids and offsets', async () => {
    const text = 'Alpha beta gamma. '.repeat(200);
    const first = await chunkText('a.txt', text, { chunkSize: 400, chunkOverlap: 80 });
    const second = await chunkText('a.txt', text, { chunkSize: 400, chunkOverlap: 80 });
    expect(second).toEqual(first);
    expect(first.map((c) => c.chunkId).slice(0, 3)).toEqual(['a.txt#0', 'a.txt#1', 'a.txt#2']);
  });
});

describe('normalizeText', () => {
  it('composes to NFC and turns CRLF and CR into LF', () => {
    expect(normalizeText('Cafe\u0301\r\nline two\rline three')).toBe('Café\nline two\nline three');
  });

  it('drops trailing spaces, a BOM and runs of blank lines', () => {
    expect(normalizeText('\uFEFFone  \n\n\n\ntwo\t\n')).toBe('one\n\ntwo');
  });
});

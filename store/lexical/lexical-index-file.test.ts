import { readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDir } from '../../test/helpers/local-engine.js';
import { buildLexicalIndex } from './build-lexical-index.js';
import { decodeLexicalIndex, writeLexicalIndex } from './lexical-index-file.js';
import { searchLexicalIndex } from './search-lexical-index.js';

describe('lexical.bin', () => {
  it('reads back the index it wrote, searching the same', async () => {
    const index = buildLexicalIndex({
      text: [
        'High tide at Port Elin arrives at 06:40.',
        "O'Neil keeps the lighthouse; the keeper's lamp",
        'Turbines in Bergen, café de l’été',
      ],
      heading: ['tides\nPort Elin', 'keepers', 'travel\nNorway'],
    });
    const file = join(temporaryDir(), 'lexical.bin');
    await writeLexicalIndex(file, index);
    const read = await decodeLexicalIndex(await readFile(file));
    expect(read).toEqual(index);
    const query = [
      { term: 'lighthous', weight: 1 },
      { term: "o'neil", weight: 0.5 },
      { term: 'été', weight: 1 },
    ];
    expect(searchLexicalIndex(read, query, 3)).toEqual(searchLexicalIndex(index, query, 3));
  });

  it('reads an empty index', async () => {
    const file = join(temporaryDir(), 'lexical.bin');
    const empty = buildLexicalIndex({ text: [], heading: [] });
    await writeLexicalIndex(file, empty);
    expect(await decodeLexicalIndex(await readFile(file))).toEqual(empty);
  });

  it('refuses a file that is not a lexical index, or is cut short', async () => {
    const file = join(temporaryDir(), 'lexical.bin');
    writeFileSync(file, 'not an index at all');
    await expect(decodeLexicalIndex(readFileSync(file))).rejects.toThrow(/not a lexical index/);
    await writeLexicalIndex(file, buildLexicalIndex({ text: ['the harbour at high tide', 'a lighthouse keeper'], heading: ['a', 'b'] }));
    const whole = readFileSync(file);
    await expect(decodeLexicalIndex(whole.subarray(0, whole.length - 8))).rejects.toThrow(/truncated/);
  });
});

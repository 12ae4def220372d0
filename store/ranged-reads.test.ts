import { cpSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, localEmbeddings, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { currentGenerationDir } from './index-files.js';
import { loadSearchIndex } from './load-index.js';
import type { SearchIndex } from './search-index.js';

// Issue 26, finding 5: a store reads what it shows, never a whole document. The proof: once the
// index is loaded, its text and block files are cut short on disk, far before the large
// document's end; a store that read whole documents could no longer give its first chunks.

const PARAGRAPHS = 4000;
const paragraph = (i: number) => `Berth ${i} takes ships of up to ${100 + (i % 50)} metres; the pilot boards at buoy ${i % 17}.`;
// A large Markdown document (about 330,000 characters): headings, a table, paragraphs, and one
// paragraph of 38,000 characters on one line, a block far longer than any chunk.
const LONG_LINE = Array.from({ length: 1000 }, (_, i) => `Cargo manifest entry ${i} lists crates.`).join(' ');
const BIG = [
  '# Harbour operations',
  '## Berths',
  '| berth | depth |\n|---|---|\n| A1 | 9 m |\n| A2 | 11 m |',
  ...Array.from({ length: PARAGRAPHS / 2 }, (_, i) => paragraph(i)),
  '## Cargo',
  LONG_LINE,
  ...Array.from({ length: PARAGRAPHS / 2 }, (_, i) => paragraph(PARAGRAPHS / 2 + i)),
].join('\n\n');

let index: SearchIndex;
/** The same index, its text and block files cut short on disk right after loading, before anything is read. */
let cut: SearchIndex;

beforeAll(async () => {
  const source = temporaryDir();
  writeFileSync(join(source, 'a-big.md'), BIG);
  writeFileSync(join(source, 'b-small.txt'), 'The small note says the harbour master is Ines Duarte.');
  const indexDir = join(temporaryDir(), 'index');
  await ingestDocuments({
    sourceDir: source,
    indexDir,
    embeddings: localEmbeddings(),
    embedder: LOCAL_IDENTITY,
    chunking: { chunkSize: 1000, chunkOverlap: 200 },
  });
  index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
  const copy = join(temporaryDir(), 'index');
  cpSync(indexDir, copy, { recursive: true });
  cut = await loadSearchIndex(copy, LOCAL_IDENTITY);
  // Leave a sixth of each file: the large document's start, nothing near its end.
  const dir = await currentGenerationDir(copy);
  for (const name of ['texts.bin', 'blocks.jsonl']) truncateSync(join(dir, name), Math.floor(statSync(join(dir, name)).size / 6));
}, 120_000);

describe('ranged reads of the local store', () => {
  it('gives a long block as the part of it near the chunk, with its exact text', async () => {
    const start = BIG.indexOf(LONG_LINE);
    const all = await index.getChunks(Array.from({ length: index.chunkCount }, (_, i) => index.chunkIdAt(i)));
    const inside = all.filter(
      (chunk) => chunk.docId === 'a-big.md' && chunk.start > start + 5000 && chunk.end < start + LONG_LINE.length - 5000,
    );
    expect(inside.length).toBeGreaterThan(10);
    for (const chunk of inside) {
      const [block] = chunk.blocks;
      expect(block.kind).toBe('paragraph');
      expect(block.start).toBe(chunk.start - 4000);
      expect(block.end).toBe(chunk.end + 4000);
      expect(block.text).toBe(BIG.slice(block.start, block.end));
      expect(chunk.headingPath).toEqual(['Harbour operations', 'Cargo']);
      expect(chunk.framing.map((framing) => framing.text)).toEqual(['## Cargo']);
    }
  });

  it('answers chunks, text, blocks and sources at the start of a document whose rest is gone from disk', async () => {
    const ids = ['a-big.md#0', 'a-big.md#1'];
    expect(await cut.getChunks(ids)).toEqual(await index.getChunks(ids));
    expect(await cut.getText('a-big.md', 10, 900)).toBe(BIG.slice(10, 900));
    expect(await cut.getBlocks('a-big.md', 0, 2000)).toEqual(await index.getBlocks('a-big.md', 0, 2000));
    const engine = localEngine(cut);
    const source = await engine.source('a-big.md', () => ({ start: 0, end: 5000 }));
    expect(source?.text).toBe(BIG.slice(0, 5000));
    expect(source?.blocks.map((block) => block.kind)).toEqual([
      'heading',
      'heading',
      'table-row',
      'table-row',
      'table-row',
      ...Array(source!.blocks.length - 5).fill('paragraph'),
    ]);
  });
});

import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_MARGIN } from '../core/chunks/stored-chunk.js';
import type { PassageStore } from '../core/contracts/passage-store.js';
import { contentTerms } from '../core/text/tokenize.js';

/** The documents every store under contract is built from (chunked 200/20). */
export const CONTRACT_DOCUMENTS = [
  {
    docId: 'harbour.txt',
    title: 'harbour',
    text: 'High tide at Port Elin arrives at 06:40 on weekdays. The harbour has 120 moorings for fishing boats.',
  },
  { docId: 'keeper.txt', title: 'keeper', text: 'The lighthouse keeper is Mara Quinn. She keeps the lamp lit through every winter storm.' },
  {
    docId: 'notes/turbines.txt',
    title: 'turbines',
    text: Array.from(
      { length: 8 },
      (_, i) => `Section ${i}: the turbines were installed in Bergen during phase ${i}, and engineers inspected each one.`,
    ).join('\n\n'),
  },
  {
    docId: 'guide/berths.md',
    title: 'Berths',
    text: [
      '# Berths',
      '## Anchorage',
      'Ships wait offshore until a pilot comes aboard to guide them to the quay.',
      'The pilot boat leaves from the north pier every hour, and comes back with the crew at noon.',
      '| berth | depth |\n|---|---|\n| A1 | 9 m |',
    ].join('\n\n'),
  },
  {
    // One paragraph of 26,399 characters: a block far longer than any chunk of it.
    docId: 'long/manifest.txt',
    title: 'manifest',
    text: Array.from({ length: 1100 }, (_, i) => `Crate ${String(i).padStart(4, '0')} holds cargo.`).join(' '),
  },
];
export const CONTRACT_CHUNKING = { chunkSize: 200, chunkOverlap: 20 };

const terms = (text: string, weight = 1) => contentTerms(text).map((term) => ({ term, weight }));

/** A store under contract, and the embedder that made its vectors. */
export interface ContractStore {
  store: PassageStore;
  embed: (text: string) => Promise<number[]>;
}

/**
 * What every PassageStore must do, asserted the same way for each implementation (the local
 * hnswlib + BM25 store and the in-memory fake today; a search cluster next). `build` makes a
 * store over CONTRACT_DOCUMENTS chunked with CONTRACT_CHUNKING.
 */
export function describePassageStoreContract(name: string, build: () => Promise<ContractStore>): void {
  describe(`PassageStore contract: ${name}`, () => {
    let store: PassageStore;
    let embed: ContractStore['embed'];
    beforeAll(async () => {
      ({ store, embed } = await build());
    });
    const original = (docId: string) => CONTRACT_DOCUMENTS.find((d) => d.docId === docId)!.text;

    it('lists every document, and gives its summary and any range of its stored text by id', async () => {
      const listed = await store.listDocuments();
      expect(listed.map((d) => d.docId).sort()).toEqual(CONTRACT_DOCUMENTS.map((d) => d.docId).sort());
      for (const summary of listed) {
        const text = original(summary.docId);
        expect(await store.getSummary(summary.docId)).toEqual(summary);
        expect(summary.characters).toBe(text.length);
        expect(await store.getText(summary.docId, 0, text.length)).toBe(text);
        expect(await store.getText(summary.docId, 5, 17)).toBe(text.slice(5, 17));
        expect(await store.getText(summary.docId, 3, 3)).toBe('');
      }
      expect(await store.getSummary('missing.txt')).toBeUndefined();
      expect(await store.getText('missing.txt', 0, 1)).toBeUndefined();
      const guide = listed.find((d) => d.docId === 'guide/berths.md')!;
      const guideChunks = await store.getChunks(Array.from({ length: 10 }, (_, i) => `guide/berths.md#${i}`));
      expect(guide).toMatchObject({ path: 'guide/berths.md', kind: 'markdown', pages: null, chunks: guideChunks.length });
      expect(guide.hash).toBe(createHash('sha256').update(original(guide.docId)).digest('hex'));
    });

    it('refuses a range outside the text rather than clipping it', async () => {
      const length = original('keeper.txt').length;
      for (const [start, end] of [
        [0, length + 1],
        [-1, 4],
        [6, 5],
        [0.5, 4],
      ]) {
        expect(await store.getText('keeper.txt', start, end)).toBeUndefined();
      }
    });

    it('places each chunk where it starts (path, page, headings) and gives its blocks whole, with their text', async () => {
      const text = original('guide/berths.md');
      const blocks = (await store.getBlocks('guide/berths.md', 0, text.length))!;
      expect(blocks.map((block) => block.kind)).toEqual(['heading', 'heading', 'paragraph', 'paragraph', 'table-row', 'table-row']);
      expect(await store.getBlocks('guide/berths.md', blocks[2].start, blocks[2].start + 1)).toEqual([blocks[2]]);
      const chunks = await store.getChunks(Array.from({ length: 10 }, (_, i) => `guide/berths.md#${i}`));
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks[0].headingPath).toEqual(['Berths']);
      expect(chunks.at(-1)!.headingPath).toEqual(['Berths', 'Anchorage']);
      for (const chunk of chunks) {
        const first = blocks.find((block) => block.end > chunk.start)!;
        expect(chunk).toMatchObject({ path: 'guide/berths.md', kind: 'markdown', page: null, headingPath: first.headingPath });
        expect(chunk.blocks.length).toBeGreaterThan(0);
        const overlapping = blocks.filter((b) => b.start < chunk.end && chunk.start < b.end);
        expect(chunk.blocks).toEqual(overlapping.map((b) => ({ ...b, text: text.slice(b.start, b.end) })));
      }
    });

    it('gives a long block as its part within BLOCK_MARGIN of each chunk, and any range of a long text', async () => {
      const text = original('long/manifest.txt');
      const summary = (await store.getSummary('long/manifest.txt'))!;
      const chunks = await store.getChunks(Array.from({ length: summary.chunks }, (_, i) => `long/manifest.txt#${i}`));
      expect(chunks.length).toBeGreaterThan(50);
      for (const chunk of chunks) {
        expect(chunk.blocks).toHaveLength(1);
        const [block] = chunk.blocks;
        expect(block).toMatchObject({
          kind: 'paragraph',
          start: Math.max(0, chunk.start - BLOCK_MARGIN),
          end: Math.min(text.length, chunk.end + BLOCK_MARGIN),
        });
        expect(block.text).toBe(text.slice(block.start, block.end));
      }
      for (const [start, end] of [
        [0, text.length],
        [4095, 4097],
        [12_000, 20_000],
        [text.length - 1, text.length],
      ]) {
        expect(await store.getText('long/manifest.txt', start, end)).toBe(text.slice(start, end));
      }
      expect(await store.getBlocks('long/manifest.txt', 10_000, 10_001)).toEqual([
        { kind: 'paragraph', start: 0, end: text.length, headingPath: [], page: null },
      ]);
    });

    it("frames a chunk's first blocks: the heading above it, the table header it continues, the block before it", async () => {
      const text = original('guide/berths.md');
      const chunks = await store.getChunks(Array.from({ length: 10 }, (_, i) => `guide/berths.md#${i}`));
      const last = chunks.at(-1)!;
      expect(last.blocks.some((block) => block.kind === 'table-row')).toBe(true);
      expect(last.framing.map((block) => block.text)).toContain('## Anchorage');
      for (const block of last.framing) {
        expect(block.end).toBeLessThanOrEqual(last.blocks[0].start);
        expect(block.text).toBe(text.slice(block.start, block.end));
      }
      expect(chunks[0].framing).toEqual([]);
      const [plain] = await store.getChunks(['keeper.txt#0']);
      expect(plain).toMatchObject({ path: 'keeper.txt', page: null, headingPath: [] });
    });

    it("matches the words of a chunk's headings, which its text need not repeat", async () => {
      const hits = await store.searchLexical(terms('anchorage'), 10);
      const chunks = await store.getChunks(hits.map((hit) => hit.chunkId));
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.every((chunk) => chunk.docId === 'guide/berths.md')).toBe(true);
      expect(chunks.some((chunk) => !/anchorage/i.test(chunk.text))).toBe(true);
    });

    it('returns chunks in the order asked, with exact offsets and their title, leaving unknown ids out', async () => {
      const ids = ['notes/turbines.txt#2', 'missing.txt#0', 'harbour.txt#0'];
      const chunks = await store.getChunks(ids);
      expect(chunks.map((c) => c.chunkId)).toEqual(['notes/turbines.txt#2', 'harbour.txt#0']);
      for (const chunk of chunks) {
        expect(original(chunk.docId).slice(chunk.start, chunk.end)).toBe(chunk.text);
        expect(chunk.title).toBe(CONTRACT_DOCUMENTS.find((d) => d.docId === chunk.docId)!.title);
      }
    });

    it('ranks lexical matches by analysed terms, so word forms match and rare terms lead', async () => {
      const [first] = await store.searchLexical(terms('Who keeps the lighthouses?'), 5);
      expect(first.chunkId).toBe('keeper.txt#0');
      const turbines = await store.searchLexical(terms('turbine inspection'), 3);
      expect(turbines).toHaveLength(3);
      expect(turbines.every((hit) => hit.chunkId.startsWith('notes/turbines.txt#'))).toBe(true);
      expect(turbines.map((hit) => hit.score)).toEqual([...turbines.map((hit) => hit.score)].sort((a, b) => b - a));
      expect(await store.searchLexical(terms('penguins'), 5)).toEqual([]);
      expect(await store.searchLexical([], 5)).toEqual([]);
    });

    it('scales each term by its weight, and counts a repeated term again', async () => {
      const harbourFirst = await store.searchLexical([...terms('moorings'), ...terms('lighthouse', 0.1)], 2);
      expect(harbourFirst.map((hit) => hit.chunkId)).toEqual(['harbour.txt#0', 'keeper.txt#0']);
      const keeperFirst = await store.searchLexical([...terms('moorings', 0.1), ...terms('lighthouse')], 2);
      expect(keeperFirst.map((hit) => hit.chunkId)).toEqual(['keeper.txt#0', 'harbour.txt#0']);
      const [once] = await store.searchLexical(terms('moorings'), 1);
      const [twice] = await store.searchLexical([...terms('moorings'), ...terms('moorings')], 1);
      expect(twice.score).toBeCloseTo(2 * once.score, 6);
    });

    it('finds a chunk by the embedding of its own text, and keeps to the limit', async () => {
      const vector = await embed(original('keeper.txt'));
      expect(vector).toHaveLength(store.embedder.dimensions);
      const hits = await store.searchDense(vector, 2);
      expect(hits).toHaveLength(2);
      expect(hits[0]).toEqual({ chunkId: 'keeper.txt#0', score: expect.closeTo(1, 5) });
    });

    it('counts chunks and document frequencies for exactly the terms asked', async () => {
      const counts = await store.getTermCounts(['turbin', 'lighthous', 'penguin']);
      const chunks = await store.searchLexical(terms('turbines'), 100);
      const guide = (await store.listDocuments()).find((d) => d.docId === 'guide/berths.md')!;
      const long = (await store.listDocuments()).find((d) => d.docId === 'long/manifest.txt')!;
      expect(counts.chunkCount).toBe(chunks.length + 2 + guide.chunks + long.chunks);
      expect(Object.fromEntries(counts.documentFrequency)).toEqual({ turbin: chunks.length, lighthous: 1, penguin: 0 });
    });
  });
}

import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../core/contracts/types.js';
import type { SearchIndex } from '../../store/search-index.js';
import { buildLocalIndex, documentText, indexChunks, localEngine } from '../../test/helpers/local-engine.js';
import { STRUCTURED_DOCS } from '../../test/paths.js';
import { createApp } from '../create-app.js';

let index: SearchIndex;
beforeAll(async () => {
  index = await buildLocalIndex(STRUCTURED_DOCS, { chunkSize: 300, chunkOverlap: 60 });
});

const app = () => createApp({ engine: localEngine(index), limits: { maxQuestionChars: 200, maxHistoryTurns: 4 } });

describe('GET /v1/sources over structured documents', () => {
  it('lists each document with its path, title, kind, pages, chunk count and content hash', async () => {
    const { body } = await request(app()).get('/v1/sources').expect(200);
    const manual = body.sources.find((s: { docId: string }) => s.docId === 'manual.pdf');
    expect(manual).toEqual({
      docId: 'manual.pdf',
      path: 'manual.pdf',
      url: null,
      title: 'Harbour Operations Manual',
      kind: 'pdf',
      pages: 3,
      chunks: (await indexChunks(index)).filter((c) => c.docId === 'manual.pdf').length,
      characters: (await documentText(index, 'manual.pdf')).length,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(body.sources.map((s: { path: string; kind: string }) => `${s.path}:${s.kind}`)).toEqual([
      'enscript.pdf:pdf',
      'handbook/LICENSE:text',
      'handbook/README.md:markdown',
      'handbook/deploy.md:markdown',
      'manual.pdf:pdf',
      'page.html:html',
    ]);
  });

  it('returns a Markdown source as written, with blocks whose offsets point into it', async () => {
    const { body } = await request(app()).get('/v1/sources/handbook/deploy.md').expect(200);
    expect(body).toMatchObject({ path: 'handbook/deploy.md', kind: 'markdown', pages: null, title: 'Deploying the Harbour API' });
    expect(body.text).toContain('```js\nconst server = createServer({');
    const blocks = body.blocks as Block[];
    const row = blocks.find((b) => b.kind === 'table-row' && body.text.slice(b.start, b.end).includes('HARBOUR_LOG'))!;
    expect(body.text.slice(row.start, row.end)).toBe('| `HARBOUR_LOG` | `info` | log level |');
    expect(row.headingPath).toEqual(['Deployment', 'Configuration', 'Environment']);
  });
});

describe('GET /v1/sources/:docId by range over structured documents', () => {
  it('keeps the path, kind and pages, and carries only the blocks the range overlaps, at document offsets', async () => {
    const whole = (await request(app()).get('/v1/sources/manual.pdf').expect(200)).body;
    const lastPage = (whole.blocks as Block[]).filter((b) => b.page === 3);
    expect(lastPage.length).toBeGreaterThan(0);
    expect(lastPage.length).toBeLessThan(whole.blocks.length);
    const start = lastPage[0].start + 1;
    const end = lastPage.at(-1)!.end - 1;
    const { body } = await request(app()).get(`/v1/sources/manual.pdf?start=${start}&end=${end}`).expect(200);
    expect(body).toMatchObject({
      docId: 'manual.pdf',
      path: 'manual.pdf',
      kind: 'pdf',
      pages: 3,
      characters: whole.text.length,
      start,
      end,
    });
    expect(body.text).toBe(whole.text.slice(start, end));
    expect(body.blocks).toEqual(lastPage);

    const around = (await request(app()).get(`/v1/sources/manual.pdf?around=${start}&chars=40`).expect(200)).body;
    expect(around.end - around.start).toBe(40);
    expect(around.blocks.length).toBeGreaterThan(0);
    for (const block of around.blocks as Block[]) {
      expect(block.start < around.end && block.end > around.start).toBe(true);
      expect(whole.blocks).toContainEqual(block);
    }
  });
});

describe('GET /v1/sources pages (issue 26, finding 14)', () => {
  const many = async () => {
    const { InMemoryPassageStore } = await import('../../test/fakes/in-memory-passage-store.js');
    const { hashingEmbedder } = await import('../../test/fakes/hashing-embeddings.js');
    const { createEngine } = await import('../../core/engine.js');
    const documents = Array.from({ length: 230 }, (_, i) => ({
      docId: `d${String(i).padStart(3, '0')}.txt`,
      title: `D${i}`,
      text: `Berth ${i}.`,
    }));
    const store = await InMemoryPassageStore.fromDocuments(documents);
    return createApp({
      engine: createEngine({ store, embedder: hashingEmbedder() }),
      limits: { maxQuestionChars: 200, maxHistoryTurns: 4 },
    });
  };

  it('gives 100 documents a page by default, the totals, and a cursor that pages through every one exactly once', async () => {
    const served = await many();
    const first = (await request(served).get('/v1/sources').expect(200)).body;
    expect(first.sources).toHaveLength(100);
    expect(first.totals).toEqual({ documents: 230, chunks: 230, characters: expect.any(Number) });
    const seen: string[] = first.sources.map((s: { docId: string }) => s.docId);
    let cursor: string | null = first.nextCursor;
    const sizes = [first.sources.length];
    while (cursor) {
      const page = (await request(served).get('/v1/sources').query({ cursor, limit: 70 }).expect(200)).body;
      sizes.push(page.sources.length);
      seen.push(...page.sources.map((s: { docId: string }) => s.docId));
      cursor = page.nextCursor;
      expect(sizes.length).toBeLessThan(10);
    }
    expect(sizes).toEqual([100, 70, 60]);
    expect(new Set(seen).size).toBe(230);
    const all = (await request(served).get('/v1/sources?limit=1000').expect(200)).body;
    expect(all).toMatchObject({ nextCursor: null });
    expect(all.sources).toHaveLength(230);
  });

  it('answers 400 naming a bad limit or cursor', async () => {
    const served = await many();
    for (const [query, message] of [
      ['limit=0', /^limit: must be a whole number from 1 to 1000$/],
      ['limit=1001', /^limit: must be a whole number from 1 to 1000$/],
      ['limit=abc', /^limit: /],
      ['cursor=bm9wZQ', /^cursor: not a cursor of this list/],
    ] as const) {
      const { body } = await request(served).get(`/v1/sources?${query}`).expect(400);
      expect(body.error).toEqual({ code: 'invalid_request', message: expect.stringMatching(message) });
    }
  });
});

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../core/engine.js';
import type { DocumentSummary } from '../core/contracts/passage-store.js';
import { createApp, type AppDependencies } from '../server/create-app.js';
import { hashingEmbedder } from '../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../test/fakes/in-memory-passage-store.js';
import { postMcp, rpcRequest } from '../test/helpers/mcp-rpc.js';
import { serveApp } from '../test/helpers/serve-app.js';

// Issue 26, findings 6, 7 and 14 on /mcp: resource reads are ranged and capped, a response that
// cannot be built is an error (logged), batches are refused, and the resource list is paged.

const BIG = Array.from({ length: 20_000 }, () => 'The harbour log.').join(' '); // 339,999 characters, as stored
const SMALL_DOCUMENTS = 250;
const CAP = 100_000;

let engine: Engine;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const store = await InMemoryPassageStore.fromDocuments([
    { docId: 'big.txt', title: 'Big', text: BIG },
    ...Array.from({ length: SMALL_DOCUMENTS }, (_, i) => ({
      docId: `notes/n${String(i).padStart(3, '0')}.txt`,
      title: `Note ${i}`,
      text: `Berth ${i} is free.`,
    })),
  ]);
  engine = createEngine({ store, embedder: hashingEmbedder() });
}, 60_000);
afterAll(() => Promise.all(closers.map((close) => close())));

async function serve(overrides: Partial<AppDependencies> = {}): Promise<string> {
  const served = await serveApp(
    createApp({ engine, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 }, sourceMaxChars: CAP, ...overrides }),
  );
  closers.push(served.close);
  return served.url;
}

interface ReadReply {
  result?: { contents: { uri: string; text: string; _meta?: Record<string, unknown> }[] };
  error?: { code: number; message: string };
}

const read = async (base: string, uri: string) => (await postMcp(base, rpcRequest(1, 'resources/read', { uri }))).reply as ReadReply;

describe('MCP resources/read (finding 6)', () => {
  it('returns at most SOURCE_MAX_CHARS characters a read, says where the next range starts, and reads any range', async () => {
    const base = await serve();
    const first = await read(base, 'verbatim://sources/big.txt');
    expect(first.result!.contents[0].text).toBe(BIG.slice(0, CAP));
    expect(first.result!.contents[0]._meta).toEqual({ start: 0, end: CAP, characters: BIG.length, next: CAP });
    const last = await read(base, 'verbatim://sources/big.txt?start=300000');
    expect(last.result!.contents[0].text).toBe(BIG.slice(300_000));
    expect(last.result!.contents[0]._meta).toMatchObject({ start: 300_000, end: BIG.length, next: null });
    const range = await read(base, 'verbatim://sources/big.txt?start=17&end=33');
    expect(range.result!.contents[0].text).toBe(BIG.slice(17, 33));
    const around = await read(base, 'verbatim://sources/big.txt?around=200000&chars=1000');
    expect(around.result!.contents[0]._meta).toMatchObject({ start: 199_500, end: 200_500 });
    const wrong = await read(base, 'verbatim://sources/big.txt?start=abc');
    expect(wrong.error).toMatchObject({ code: -32602, message: expect.stringMatching(/start: must be a whole number/) });
  });

  it('answers a dozen reads of a large document at once, each bounded', async () => {
    const base = await serve();
    const replies = await Promise.all(Array.from({ length: 12 }, () => read(base, 'verbatim://sources/big.txt')));
    for (const reply of replies) expect(reply.result!.contents[0].text.length).toBe(CAP);
  });

  it('answers a response that cannot be built with an internal error, logged, instead of never answering', async () => {
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });
    // A summary JSON cannot serialise (a BigInt): the SDK would drop the response and the request would hang.
    const broken = { ...engine, sources: async () => [{ docId: 'a.txt', characters: 1n } as unknown as DocumentSummary] };
    const base = await serve({ engine: broken, logger });
    const { status, reply } = await postMcp(base, rpcRequest(7, 'resources/list'));
    expect(status).toBe(200);
    expect(reply).toMatchObject({ id: 7, error: { code: -32603, message: expect.stringMatching(/could not be built/) } });
    expect(logged.filter((line) => /MCP request failed/.test(line))).toHaveLength(1);
  });
});

describe('MCP batches (finding 7)', () => {
  it('refuses a JSON-RPC batch, so no request escapes the rate limit, and runs none of it', async () => {
    let answered = 0;
    const counting = { ...engine, answer: (input: Parameters<Engine['answer']>[0]) => (answered++, engine.answer(input)) };
    const base = await serve({ engine: counting, rateLimitPerMinute: 3 });
    const batch = Array.from({ length: 5 }, (_, i) =>
      rpcRequest(i + 1, 'tools/call', { name: 'answer_question', arguments: { question: 'When is high tide?' } }),
    );
    const { status, reply } = await postMcp(base, batch);
    expect(status).toBe(400);
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/batch/i) } });
    expect(answered).toBe(0);
    // One message a request: each counts (the batch counted once, two more pass, the next is limited).
    const single = rpcRequest(9, 'tools/call', { name: 'answer_question', arguments: { question: 'When is high tide?' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postMcp(base, single)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describe('MCP resources/list pages (finding 14)', () => {
  it('lists 100 resources a page with a cursor to the next, every document exactly once', async () => {
    const base = await serve();
    const uris: string[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { reply } = await postMcp(base, rpcRequest(1, 'resources/list', cursor ? { cursor } : {}));
      const result = (reply as { result: { resources: { uri: string }[]; nextCursor?: string } }).result;
      pages.push(result.resources.length);
      uris.push(...result.resources.map((resource) => resource.uri));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(pages).toEqual([100, 100, 51]);
    expect(new Set(uris).size).toBe(SMALL_DOCUMENTS + 1);
    const { reply } = await postMcp(base, rpcRequest(1, 'resources/list', { cursor: 'not-a-cursor' }));
    expect(reply).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/cursor/) } });
  });
});

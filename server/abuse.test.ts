import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import { blocksInRange } from '../core/chunks/place-in-document.js';
import { documentSummary, sliceText } from '../core/chunks/stored-chunk.js';
import type { PassageStore } from '../core/contracts/passage-store.js';
import type { Block } from '../core/contracts/types.js';
import type { SearchIndex } from '../store/search-index.js';
import { buildLocalIndex, localEngine } from '../test/helpers/local-engine.js';
import { plainDocument } from '../test/helpers/stored-document.js';
import { CORPUS_DIR } from '../test/paths.js';
import { BoundedRateLimitStore } from './bounded-rate-limit-store.js';
import { createApp, type AppDependencies } from './create-app.js';
import { MAX_ERROR_MESSAGE_CHARS } from './error-handler.js';

// Integration tests of the abuse findings of issue 13, over real HTTP against a listening
// server on 127.0.0.1. Every loop is bounded in count.

let index: SearchIndex;
let engine: Engine;
beforeAll(async () => {
  index = await buildLocalIndex(CORPUS_DIR);
  engine = localEngine(index, { generation: 'g-20260101T000000000Z-abcdef' });
});

const servers: { close: () => void }[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** Starts the app on an ephemeral loopback port; returns its base URL. */
async function serve(overrides: Partial<AppDependencies> = {}): Promise<string> {
  const app = createApp({ engine: engine, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 }, ...overrides });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends `count` GET requests one after another and returns their statuses. */
async function statuses(url: string, count: number, headers: (i: number) => Record<string, string>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { headers: headers(i) });
    await response.arrayBuffer();
    seen.push(response.status);
  }
  return seen;
}

const count = (values: number[], value: number) => values.filter((v) => v === value).length;
const uniqueToken = (i: number, length = 32) => `t${i}-`.padEnd(length, 'x');

describe('finding 1: a bearer token does not buy a new rate-limit allowance', () => {
  it('without API keys, requests with made-up tokens count against the address', async () => {
    const base = await serve({ rateLimitPerMinute: 5 });
    const plain = await statuses(`${base}/v1/sources`, 5, () => ({}));
    expect(plain).toEqual([200, 200, 200, 200, 200]);
    const withTokens = await statuses(`${base}/v1/sources`, 100, (i) => ({ Authorization: `Bearer ${uniqueToken(i)}` }));
    expect(count(withTokens, 429)).toBe(100);
  });

  it('with API keys, a flood of wrong keys runs into 429 after the limit, and the real key keeps its allowance', async () => {
    const base = await serve({ rateLimitPerMinute: 5, apiKeys: ['the-real-key'] });
    const guesses = await statuses(`${base}/v1/sources`, 300, (i) => ({ Authorization: `Bearer ${uniqueToken(i)}` }));
    expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(count(guesses, 429)).toBe(295);
    const owner = await statuses(`${base}/v1/sources`, 5, () => ({ Authorization: 'Bearer the-real-key' }));
    expect(owner).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(`${base}/v1/sources`, 1, () => ({ Authorization: 'Bearer the-real-key' }))).toEqual([429]);
  });

  it('covers every API path, /mcp included, with the same limit', async () => {
    const base = await serve({ rateLimitPerMinute: 2, apiKeys: ['k'] });
    expect(await statuses(`${base}/mcp`, 3, () => ({}))).toEqual([401, 401, 429]);
  });

  it('counts the OpenAI-compatible API and MCP in one allowance per address, whatever token comes with them', async () => {
    const base = await serve({ rateLimitPerMinute: 3 });
    const paths = ['/v1/models', '/mcp', '/v1/chat/completions', '/v1/models', '/mcp', '/v1/chat/completions'];
    const seen: number[] = [];
    for (const [i, path] of paths.entries()) {
      const response = await fetch(`${base}${path}`, {
        method: path === '/v1/models' ? 'GET' : 'POST',
        headers: { Authorization: `Bearer ${uniqueToken(i)}`, 'Content-Type': 'application/json' },
        body: path === '/v1/models' ? undefined : '{}',
      });
      await response.arrayBuffer();
      seen.push(response.status);
    }
    expect(seen.slice(0, 3).every((status) => status !== 429)).toBe(true);
    expect(seen.slice(3)).toEqual([429, 429, 429]);
  });
});

describe('finding 2: the limiter memory is bounded whatever clients send', () => {
  it('keeps one entry for an address sending 500 unique 12 kB tokens', async () => {
    const store = new BoundedRateLimitStore(1000);
    const base = await serve({ rateLimitPerMinute: 10, rateLimitStore: store });
    await statuses(`${base}/v1/sources`, 500, (i) => ({ Authorization: `Bearer ${uniqueToken(i, 12_000)}` }));
    expect(store.size).toBe(1);
  });

  it('holds at most RATE_LIMIT_MAX_CLIENTS entries when 300 addresses come through a trusted proxy', async () => {
    const store = new BoundedRateLimitStore(50);
    const base = await serve({ rateLimitPerMinute: 10, rateLimitStore: store, trustProxy: ['loopback'] });
    const seen = await statuses(`${base}/v1/sources`, 300, (i) => ({
      'X-Forwarded-For': `198.18.${Math.floor(i / 200)}.${i % 200}`,
    }));
    expect(count(seen, 200)).toBe(300);
    expect(store.size).toBe(50);
  });
});

describe('finding 7: GET /v1/sources/:id returns a bounded range', () => {
  const big = 'The harbour log. '.repeat(30_000); // 510,000 characters
  // One block every 10,000 characters, so a range's blocks can be told from the document's.
  const blocks: Block[] = Array.from({ length: Math.ceil(big.length / 10_000) }, (_, i) => ({
    kind: 'paragraph',
    start: i * 10_000,
    end: Math.min(big.length, (i + 1) * 10_000),
    headingPath: [],
    page: null,
  }));
  const withBigDocument = () => {
    const document = { ...plainDocument('big.txt', big, 'Big'), blocks };
    const store = Object.assign(Object.create(index) as PassageStore, {
      getSummary: async (docId: string) => (docId === 'big.txt' ? documentSummary(document, 51) : undefined),
      getText: async (docId: string, start: number, end: number) => (docId === 'big.txt' ? sliceText(big, start, end) : undefined),
      getBlocks: async (docId: string, start: number, end: number) => (docId === 'big.txt' ? blocksInRange(blocks, start, end) : undefined),
    });
    return localEngine(store);
  };

  it('cuts every response at SOURCE_MAX_CHARS and says where the next page starts', async () => {
    const deps = withBigDocument();
    const base = await serve({ engine: deps, sourceMaxChars: 100_000 });
    const first = await (await fetch(`${base}/v1/sources/big.txt`)).json();
    expect(first).toMatchObject({ docId: 'big.txt', characters: big.length, start: 0, end: 100_000, next: 100_000 });
    expect(first.text).toBe(big.slice(0, 100_000));
    const last = await (await fetch(`${base}/v1/sources/big.txt?start=500000&end=999999999`)).json();
    expect(last).toMatchObject({ start: 500_000, end: big.length, next: null, text: big.slice(500_000) });
    const range = await (await fetch(`${base}/v1/sources/big.txt?start=17&end=33`)).json();
    expect(range).toMatchObject({ path: 'big.txt', kind: 'text', pages: null, text: big.slice(17, 33), blocks: [blocks[0]] });
  });

  it('centres a window of `chars` on `around`, inside the document', async () => {
    const deps = withBigDocument();
    const base = await serve({ engine: deps, sourceMaxChars: 100_000 });
    const middle = await (await fetch(`${base}/v1/sources/big.txt?around=250000&chars=1000`)).json();
    expect(middle).toMatchObject({ start: 249_500, end: 250_500, text: big.slice(249_500, 250_500) });
    // Only the blocks the window overlaps, with offsets into the whole document.
    expect(middle.blocks).toEqual([blocks[24], blocks[25]]);
    const end = await (await fetch(`${base}/v1/sources/big.txt?around=${big.length}&chars=1000`)).json();
    expect(end).toMatchObject({ start: big.length - 1000, end: big.length });
    const capped = await (await fetch(`${base}/v1/sources/big.txt?around=10&chars=900000`)).json();
    expect(capped).toMatchObject({ start: 0, end: 100_000 });
  });

  it('answers 400 naming the parameter for a bad range', async () => {
    const deps = withBigDocument();
    const base = await serve({ engine: deps });
    for (const [query, message] of [
      ['start=-1', /start: must be a whole number/],
      ['start=abc', /start: must be a whole number/],
      ['start=10&end=5', /end: must not be before start/],
      ['start=600000', /start: beyond the end of the document \(510000 characters\)/],
      ['around=5&start=1', /either start\/end or around/],
      ['chars=5', /chars goes with around/],
      ['start=1&start=2', /start: must be given once/],
    ] as const) {
      const response = await fetch(`${base}/v1/sources/big.txt?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error).toEqual({ code: 'invalid_request', message: expect.stringMatching(message) });
    }
  });
});

describe('finding 4: the answering generation is visible', () => {
  it('in /readyz and in each Answer', async () => {
    const base = await serve();
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({
      status: 'ready',
      generation: 'g-20260101T000000000Z-abcdef',
      collections: [{ name: 'default', status: 'ready', generation: 'g-20260101T000000000Z-abcdef' }],
    });
    const answer = await (
      await fetch(`${base}/v1/answer`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question: 'Which ministry launched the Physical AI Global Alliance?' }),
      })
    ).json();
    expect(answer.generation).toBe('g-20260101T000000000Z-abcdef');
  });
});

describe('finding 10: keys stay out of logs, questions need content, errors stay small', () => {
  it('redacts a key sent as Authorization, ?api_key=, X-API-Key or another credential name', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const base = await serve({ logger, apiKeys: ['sekrit-one'] });
    await fetch(`${base}/v1/sources?api_key=sekrit-two&x=1`);
    await fetch(`${base}/v1/sources?access%5Ftoken=sekrit-three`);
    await fetch(`${base}/v1/sources`, { headers: { 'X-API-Key': 'sekrit-four' } });
    await fetch(`${base}/v1/sources`, { headers: { Authorization: 'Bearer sekrit-one' } });
    await fetch(`${base}/v1/sources`, { headers: { 'X-Auth-Token': 'sekrit-five', Cookie: 'session=sekrit-six' } });
    const log = lines.join('\n');
    expect(lines).toHaveLength(5);
    expect(log).not.toMatch(/sekrit/);
    expect(JSON.parse(lines[0]).req.url).toBe('/v1/sources?api_key=[Redacted]&x=1');
    expect(JSON.parse(lines[2]).req.headers['x-api-key']).toBe('[Redacted]');
    expect(JSON.parse(lines[3]).client).toBe('key-1');
  });

  it('bounds the message of an unknown-field error, however many fields a request sends', async () => {
    const base = await serve({ bodyLimit: '200kb' });
    const body: Record<string, string> = { question: 'Who is Ha Jung-woo?' };
    for (let i = 0; i < 3000; i++) body[`field_number_${i}_${'z'.repeat(i % 50)}`] = '';
    const sent = JSON.stringify(body);
    expect(sent.length).toBeGreaterThan(59_000);
    const response = await fetch(`${base}/v1/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: sent });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.message).toMatch(/^unknown fields "field_number_0_", .* and 2995 more$/);
    expect(error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
  });

  it('bounds messages that echo a path or an id', async () => {
    const base = await serve();
    for (const path of [`/v1/${'n'.repeat(8000)}`, `/v1/sources/${'d'.repeat(8000)}`]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(404);
      expect((await response.json()).error.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
    }
  });
});

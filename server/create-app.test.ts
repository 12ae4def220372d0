import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import type { PassageStore } from '../core/contracts/passage-store.js';
import type { Answer } from '../core/contracts/types.js';
import type { SearchIndex } from '../store/search-index.js';
import { WaitingChatModel } from '../test/fakes/waiting-chat-model.js';
import { buildLocalIndex, documentText, localEngine } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { createApp, type AppDependencies } from './create-app.js';
import { EngineHolder } from '../runtime/engine-holder.js';

let index: SearchIndex;
let engine: Engine;
beforeAll(async () => {
  index = await buildLocalIndex(CORPUS_DIR);
  engine = localEngine(index);
});

function app(overrides: Partial<AppDependencies> = {}) {
  return createApp({ engine: engine, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 }, ...overrides });
}

const QUESTION = 'Which ministry launched the Physical AI Global Alliance?';

/** Parses an SSE body into its events. */
function parseSse(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => {
      const [eventLine, dataLine, ...rest] = frame.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: \w+$/);
      expect(dataLine).toMatch(/^data: /);
      return { event: eventLine.slice(7), data: JSON.parse(dataLine.slice(6)) };
    });
}

describe('POST /v1/answer', () => {
  it('returns the Answer as JSON with verified citations', async () => {
    const response = await request(app()).post('/v1/answer').send({ question: QUESTION }).expect(200);
    const answer = response.body as Answer;
    expect(answer).toMatchObject({ question: QUESTION, answerable: true, mode: 'extractive', reason: null });
    expect(answer.citations[0]).toMatchObject({ n: 1, docId: 'south-korea-physical-ai.txt', verified: true });
    expect(await index.getText(answer.citations[0].docId, answer.citations[0].start, answer.citations[0].end)).toBe(
      answer.citations[0].quote,
    );
    expect(response.headers['x-request-id']).toMatch(/\w/);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('honours k', async () => {
    const response = await request(app()).post('/v1/answer').send({ question: QUESTION, k: 2 }).expect(200);
    expect(response.body.passages).toHaveLength(2);
  });

  it('streams passages, delta, citation and done as SSE, with Accept or stream: true', async () => {
    for (const call of [
      request(app()).post('/v1/answer').set('Accept', 'text/event-stream').send({ question: QUESTION }),
      request(app()).post('/v1/answer').send({ question: QUESTION, stream: true }),
    ]) {
      const response = await call.buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      const events = parseSse(response.body as string);
      expect(events.map((e) => e.event)).toEqual(['passages', 'delta', 'citation', 'done']);
      const done = events[3].data as Answer;
      expect((events[1].data as { text: string }).text).toBe(done.answer);
      expect((events[2].data as { citation: unknown }).citation).toEqual(done.citations[0]);
    }
  });

  it('adds a Slack Block Kit rendering of the same answer with format: "slack"', async () => {
    const { body } = await request(app()).post('/v1/answer').send({ question: QUESTION, format: 'slack' }).expect(200);
    expect(body.slack.text).toBe(body.answer);
    expect(body.slack.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: body.answer } });
    expect(body.slack.blocks).toContainEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `*[1]* _south-korea-physical-ai_ · south-korea-physical-ai.txt\n> ${body.citations[0].quote}` },
    });
    expect(body.slack.blocks.length).toBeLessThanOrEqual(50);
  });

  it('renders a refusal for Slack as "not in the sources" with the closest passages', async () => {
    const { body } = await request(app())
      .post('/v1/answer')
      .send({ question: 'When will the GPUs be delivered?', format: 'slack' })
      .expect(200);
    expect(body.answerable).toBe(false);
    expect(body.slack.text).toMatch(/^Not in the sources\./);
    expect(body.slack.blocks[0].text.text).toMatch(/^:warning: \*Not in the sources\.\*/);
    expect(JSON.stringify(body.slack.blocks)).toContain('Closest passages');
  });

  const badInputs: [string, () => request.Test, number, string, RegExp][] = [
    [
      'malformed JSON',
      () => request(app()).post('/v1/answer').set('Content-Type', 'application/json').send('{"question": '),
      400,
      'malformed_json',
      /not valid JSON/,
    ],
    [
      'not JSON',
      () => request(app()).post('/v1/answer').set('Content-Type', 'text/plain').send('hello'),
      415,
      'unsupported_media_type',
      /Content-Type: application\/json/,
    ],
    ['missing question', () => request(app()).post('/v1/answer').send({}), 400, 'invalid_request', /question: is required/],
    [
      'empty question',
      () => request(app()).post('/v1/answer').send({ question: '   ' }),
      400,
      'invalid_request',
      /question: must not be empty/,
    ],
    [
      'question of only NUL characters',
      () => request(app()).post('/v1/answer').send({ question: '\u0000\u0000\u0000' }),
      400,
      'invalid_request',
      /question: must contain a letter or digit/,
    ],
    [
      'question of only zero-width characters',
      () => request(app()).post('/v1/answer').send({ question: '\u200b\u200c\u200d\u2060\ufeff?' }),
      400,
      'invalid_request',
      /question: must contain a letter or digit/,
    ],
    [
      'question of wrong type',
      () => request(app()).post('/v1/answer').send({ question: 42 }),
      400,
      'invalid_request',
      /question: is required and must be a string/,
    ],
    [
      'question too long',
      () =>
        request(app())
          .post('/v1/answer')
          .send({ question: 'x'.repeat(201) }),
      400,
      'invalid_request',
      /question: must be at most 200 characters/,
    ],
    [
      'unknown format',
      () => request(app()).post('/v1/answer').send({ question: 'q', format: 'xml' }),
      400,
      'invalid_request',
      /format: must be "json" or "slack"/,
    ],
    ['bad k', () => request(app()).post('/v1/answer').send({ question: 'q', k: 0 }), 400, 'invalid_request', /k: must be at least 1/],
    [
      'history too long',
      () =>
        request(app())
          .post('/v1/answer')
          .send({ question: 'q', history: Array(5).fill({ role: 'user', content: 'x' }) }),
      400,
      'invalid_request',
      /history: must have at most 4 turns/,
    ],
    [
      'bad history role',
      () =>
        request(app())
          .post('/v1/answer')
          .send({ question: 'q', history: [{ role: 'system', content: 'x' }] }),
      400,
      'invalid_request',
      /history\[0\]\.role: must be "user" or "assistant"/,
    ],
    [
      'unknown field',
      () => request(app()).post('/v1/answer').send({ questoin: 'q', question: 'q' }),
      400,
      'invalid_request',
      /unknown field "questoin"/,
    ],
    [
      'body too large',
      () =>
        request(app({ bodyLimit: '1kb' }))
          .post('/v1/answer')
          .send({ question: 'q', history: [{ role: 'user', content: 'x'.repeat(2000) }] }),
      413,
      'body_too_large',
      /larger than the limit/,
    ],
    [
      'generative without a model',
      () => request(app()).post('/v1/answer').send({ question: 'q', mode: 'generative' }),
      400,
      'mode_unavailable',
      /needs a language model/,
    ],
    ['unknown route', () => request(app()).get('/v1/nothing'), 404, 'not_found', /No route for GET \/v1\/nothing/],
  ];

  it.each(badInputs)('%s gets a clear 4xx naming the problem', async (_name, call, status, code, message) => {
    const response = await call();
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toMatch(message);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+|stack/i);
  });

  it('answers 503 with Retry-After while the index is loading', async () => {
    const loading = createApp({ engine: new EngineHolder(), ready: () => false, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 } });
    const response = await request(loading).post('/v1/answer').send({ question: QUESTION }).expect(503);
    expect(response.body.error.code).toBe('index_loading');
    expect(response.headers['retry-after']).toBe('2');
    await request(loading).get('/readyz').expect(503);
    await request(loading).get('/healthz').expect(200, { status: 'ok' });
  });

  it('says draining in /readyz once told to stop, still answers, and closes each connection after its response', async () => {
    let draining = false;
    const server = app({ health: { draining: () => draining } });
    await request(server).get('/readyz').expect(200);
    draining = true;
    expect((await request(server).get('/readyz').expect(503)).body.status).toBe('draining');
    const response = await request(server).post('/v1/answer').send({ question: QUESTION }).expect(200);
    expect(response.headers.connection).toBe('close');
  });

  it('is ready (/readyz) only when every worker is, listing the collections either way (issue 26, finding 11)', async () => {
    let workers = { ready: 1, total: 2 };
    const served = createApp({ engine: localEngine(index), workers: () => workers, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 } });
    const halfway = await request(served).get('/readyz').expect(503);
    expect(halfway.headers['retry-after']).toBe('2');
    expect(halfway.body).toMatchObject({
      status: 'loading',
      collections: [{ name: 'default', status: 'ready' }],
      workers: { ready: 1, total: 2 },
    });
    workers = { ready: 2, total: 2 };
    const ready = await request(served).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      collections: [{ name: 'default', status: 'ready' }],
      workers: { ready: 2, total: 2 },
    });
  });

  it('stops the model call when the client disconnects mid-stream', async () => {
    const model = new WaitingChatModel();
    const waiting = localEngine(index, { chatModel: model, defaultMode: 'generative' });
    const server = createApp({ engine: waiting, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 } }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/v1/answer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ question: QUESTION }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read(); // the passages event has arrived: the model call is under way
    controller.abort();
    const deadline = Date.now() + 3000;
    while (!model.aborted && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(model.started).toBe(true);
    expect(model.aborted).toBe(true);
    server.close();
  });
});

describe('one error story: the pipeline throws, every surface maps it', () => {
  /** The engine over a store whose method `failing` throws, as a store that went down would. */
  function failingApp(failing: 'getText' | 'getTermCounts') {
    const broken = Object.assign(Object.create(index) as PassageStore, {
      [failing]: async () => {
        throw new Error('store went away at /srv/secret/path');
      },
    });
    const deps = localEngine(broken);
    return createApp({ engine: deps, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 } });
  }
  const readSse = (call: request.Test) =>
    call.buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    });

  it('ends a stream that already began with an error event carrying the JSON code and message', async () => {
    const response = await readSse(request(failingApp('getText')).post('/v1/answer').send({ question: QUESTION, stream: true }));
    expect(response.status).toBe(200);
    const events = parseSse(response.body as string);
    expect(events.map((e) => e.event)).toEqual(['passages', 'error']);
    expect(events[1].data).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side; the error has been logged.' },
    });
  });

  it('answers a failure before the first event with the plain JSON error and status, streamed or not', async () => {
    for (const stream of [true, false]) {
      const response = await request(failingApp('getTermCounts')).post('/v1/answer').send({ question: QUESTION, stream });
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toContain('application/json');
      expect(response.body).toEqual({
        error: { code: 'internal_error', message: 'Something went wrong on our side; the error has been logged.' },
      });
      expect(response.text).not.toContain('/srv/secret');
    }
    const noModel = await request(app())
      .post('/v1/answer')
      .set('Accept', 'text/event-stream')
      .send({ question: QUESTION, mode: 'generative' });
    expect(noModel.status).toBe(400);
    expect(noModel.body.error).toEqual({ code: 'mode_unavailable', message: expect.stringMatching(/needs a language model/) });
  });
});

describe('GET /v1/sources', () => {
  it('lists the sources and returns a stored text', async () => {
    const list = await request(app()).get('/v1/sources').expect(200);
    const docId = 'south-korea-physical-ai.txt';
    const summary = (await index.getSummary(docId))!;
    const stored = { ...summary, text: await documentText(index, docId), blocks: await index.getBlocks(docId, 0, summary.characters) };
    expect(list.body.sources).toEqual([
      {
        docId: 'south-korea-physical-ai.txt',
        title: 'south-korea-physical-ai',
        characters: stored.text.length,
        path: 'south-korea-physical-ai.txt',
        url: null,
        kind: 'text',
        pages: null,
        chunks: (await index.getTermCounts([])).chunkCount,
        hash: stored.hash,
      },
    ]);
    const one = await request(app()).get('/v1/sources/south-korea-physical-ai.txt').expect(200);
    expect(one.body).toEqual({
      docId: stored.docId,
      title: stored.title,
      path: stored.path,
      url: null,
      kind: 'text',
      pages: null,
      characters: stored.text.length,
      start: 0,
      end: stored.text.length,
      text: stored.text,
      next: null,
      blocks: stored.blocks,
    });
  });

  it('404s an unknown id, including ids that try to leave the index', async () => {
    for (const path of [
      '/v1/sources/nope.txt',
      '/v1/sources/..%2F..%2Fpackage.json',
      '/v1/sources/../../package.json',
      '/v1/sources/%2Fetc%2Fpasswd',
    ]) {
      const response = await request(app()).get(path);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: { code: expect.stringMatching(/^(source_)?not_found$/), message: expect.any(String) } });
      expect(response.text).not.toContain('"name":"verbatim"');
    }
  });
});

describe('auth, rate limits and CORS', () => {
  it('requires a bearer key on /v1/* when API keys are set, but not on health or the page', async () => {
    const secured = app({ apiKeys: ['k-one', 'k-two'] });
    const missing = await request(secured).post('/v1/answer').send({ question: QUESTION }).expect(401);
    expect(missing.body.error.code).toBe('unauthorized');
    await request(secured).post('/v1/answer').set('Authorization', 'Bearer wrong').send({ question: QUESTION }).expect(401);
    await request(secured).post('/v1/answer').set('Authorization', 'Bearer k-two').send({ question: QUESTION }).expect(200);
    await request(secured).get('/v1/sources').set('Authorization', 'Bearer k-one').expect(200);
    await request(secured).get('/healthz').expect(200);
    await request(secured).get('/').expect(200);
  });

  it('needs no key when none are configured', async () => {
    await request(app()).get('/v1/sources').expect(200);
  });

  it('limits requests per key with 429 and Retry-After; another key has its own allowance', async () => {
    const limited = app({ rateLimitPerMinute: 2, apiKeys: ['k-one', 'k-two'] });
    await request(limited).get('/v1/sources').set('Authorization', 'Bearer k-one').expect(200);
    await request(limited).get('/v1/sources').set('Authorization', 'Bearer k-one').expect(200);
    const third = await request(limited).get('/v1/sources').set('Authorization', 'Bearer k-one').expect(429);
    expect(third.body.error.code).toBe('rate_limited');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(third.body.error.message).toBe(
      `Too many requests: the limit is 2 a minute. Try again in ${third.headers['retry-after']} seconds.`,
    );
    await request(limited).get('/v1/sources').set('Authorization', 'Bearer k-two').expect(200);
  });

  it('sends CORS headers only for configured origins', async () => {
    const none = await request(app()).get('/v1/sources').set('Origin', 'https://example.com');
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await request(app({ corsOrigins: ['https://example.com'] }))
      .get('/v1/sources')
      .set('Origin', 'https://example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://example.com');
  });
});

describe('logs', () => {
  it('are JSON lines with a request id, and never carry the API key', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const secured = app({ apiKeys: ['super-secret-key'], logger });
    await request(secured).get('/v1/sources').set('Authorization', 'Bearer super-secret-key').set('X-Request-Id', 'req-123').expect(200);
    const entry = JSON.parse(lines.at(-1)!);
    expect(entry.req).toMatchObject({ id: 'req-123', method: 'GET', url: '/v1/sources' });
    expect(entry.res.statusCode).toBe(200);
    expect(lines.join('\n')).not.toContain('super-secret-key');
  });
});

describe('the chat page', () => {
  it('is served from the app with no external resources', async () => {
    const page = await request(app()).get('/').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).not.toMatch(/https?:\/\//);
    await request(app()).get('/app.js').expect(200);
    await request(app()).get('/style.css').expect(200);
  });

  it('serves its Markdown parser as one bundled ES module, cached by ETag', async () => {
    const module = await request(app()).get('/vendor/lezer-markdown.js').expect(200);
    expect(module.headers['content-type']).toContain('text/javascript');
    expect(module.text).toMatch(/export\s*\{/);
    expect(module.text).not.toMatch(/from\s*["']@lezer\//);
    await request(app()).get('/vendor/lezer-markdown.js').set('If-None-Match', module.headers.etag).expect(304);
    await request(app()).get('/vendor/other.js').expect(404);
  });

  it("serves the page's TypeScript modules as JavaScript (types removed), cached by ETag, and no other file", async () => {
    const module = await request(app()).get('/turn-view.js').expect(200);
    expect(module.headers['content-type']).toContain('text/javascript');
    expect(module.text).toMatch(/function createTurnView\(actions\)/);
    expect(module.text).not.toMatch(/import type|core\/types|: TurnActions/);
    await request(app()).get('/turn-view.js').set('If-None-Match', module.headers.etag).expect(304);
    await request(app()).get('/no-such-module.js').expect(404);
    await request(app()).get('/%2e%2e%2fcreate-app.js').expect(404);
  });
});

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Citation, Passage } from '../core/contracts/types.js';
import type { EngineRegistry } from '../runtime/engine-registry.js';
import { serveApp } from '../test/helpers/serve-app.js';
import { buildCollections, COLLECTION_DOCS, COLLECTION_QUESTIONS, type CollectionName } from '../test/helpers/two-collections.js';
import { createApp } from './create-app.js';
import type { VerbatimMessageFields } from './render-chat-completion.js';

/** Every key format: one that reads everything, and two scoped ones (the first collection named is the key's default). */
const KEYS = { all: 'k-all', handbook: 'k-handbook', runbooks: 'k-runbooks' };
const API_KEYS = [
  KEYS.all,
  { key: KEYS.handbook, collections: ['handbook'] },
  { key: KEYS.runbooks, collections: ['runbooks', 'default'] },
];
const NAMES: CollectionName[] = ['handbook', 'runbooks'];
const other = (name: CollectionName): CollectionName => (name === 'handbook' ? 'runbooks' : 'handbook');
const docsOf = (name: CollectionName) => Object.keys(COLLECTION_DOCS[name]);

let registry: EngineRegistry;
let app: ReturnType<typeof createApp>;
let base: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ registry } = await buildCollections());
  app = createApp({ collections: registry, limits: { maxQuestionChars: 500, maxHistoryTurns: 4 }, apiKeys: API_KEYS });
  const served = await serveApp(app);
  closers.push(served.close);
  base = served.url;
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

const as = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Every document an answer rests on (its citations and passages) is one of `name`'s. */
function expectOnlyFrom(name: CollectionName, answer: { citations: Citation[]; passages?: Passage[] }): void {
  const used = [...answer.citations.map((c) => c.docId), ...(answer.passages ?? []).map((p) => p.docId)];
  expect(used.length).toBeGreaterThan(0);
  for (const docId of used) expect(docsOf(name)).toContain(docId);
}

/** The `done` Answer of an SSE answer stream. */
function doneOf(body: string): Answer {
  const frame = body.split('\n\n').find((f) => f.startsWith('event: done'))!;
  return JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as Answer;
}

describe('every HTTP surface answers each collection from its own documents only', () => {
  it.each(NAMES)('POST /v1/answer (JSON and SSE) with collection %s', async (name) => {
    const { question, fact, docId } = COLLECTION_QUESTIONS[name];
    const { body } = await request(app).post('/v1/answer').set(as(KEYS.all)).send({ question, collection: name }).expect(200);
    expect(body).toMatchObject({ answerable: true });
    expect(body.answer).toContain(fact);
    expect(body.citations[0].docId).toBe(docId);
    expectOnlyFrom(name, body);

    const streamed = await request(app).post('/v1/answer').set(as(KEYS.all)).send({ question, collection: name, stream: true }).expect(200);
    const done = doneOf(streamed.text);
    expect(done.answer).toBe(body.answer);
    expectOnlyFrom(name, done);

    // The other collection's question, asked here, is never answered from the other's documents.
    const foreign = await request(app)
      .post('/v1/answer')
      .set(as(KEYS.all))
      .send({ question: COLLECTION_QUESTIONS[other(name)].question, collection: name })
      .expect(200);
    expect(foreign.body.answer).not.toContain(COLLECTION_QUESTIONS[other(name)].fact);
    for (const passage of foreign.body.passages as Passage[]) expect(docsOf(name)).toContain(passage.docId);
  });

  it.each(NAMES)('GET /v1/sources and /v1/sources/:docId with ?collection=%s', async (name) => {
    const list = await request(app).get(`/v1/sources?collection=${name}`).set(as(KEYS.all)).expect(200);
    expect(list.body.sources.map((s: { docId: string }) => s.docId).sort()).toEqual(docsOf(name).sort());
    const docId = COLLECTION_QUESTIONS[name].docId;
    const source = await request(app).get(`/v1/sources/${docId}?collection=${name}`).set(as(KEYS.all)).expect(200);
    expect(source.body.text).toContain(COLLECTION_QUESTIONS[name].fact);
    expect(source.body.text.startsWith((COLLECTION_DOCS[name] as Record<string, string>)[docId].slice(0, 40))).toBe(true);
    // The same id in another collection is not there.
    await request(app)
      .get(`/v1/sources/${docId}?collection=${other(name)}`)
      .set(as(KEYS.all))
      .expect(404);
  });

  it.each(NAMES)('/v1/chat/completions with the model verbatim/%s, whole and streamed', async (name) => {
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: KEYS.all, maxRetries: 0 });
    const { question, fact } = COLLECTION_QUESTIONS[name];
    const messages = [{ role: 'user' as const, content: question }];
    const completion = await client.chat.completions.create({ model: `verbatim/${name}`, messages });
    expect(completion.choices[0].message.content).toContain(fact);
    expect(completion.model).toBe(`verbatim/${name}`);
    expectOnlyFrom(name, (completion.choices[0].message as unknown as { verbatim: VerbatimMessageFields }).verbatim);
    let content = '';
    for await (const chunk of await client.chat.completions.create({ model: `verbatim-extractive/${name}`, messages, stream: true })) {
      content += chunk.choices[0]?.delta.content ?? '';
    }
    expect(content).toBe(completion.choices[0].message.content);
  });

  it('answers from the default collection when none is named, and lists every collection with its size and generation', async () => {
    const { body } = await request(app)
      .post('/v1/answer')
      .set(as(KEYS.all))
      .send({ question: 'How many high-performance GPUs will South Korea have?' })
      .expect(200);
    expect(body.citations[0].docId).toBe('south-korea-physical-ai.txt');

    const listed = await request(app).get('/v1/collections').set(as(KEYS.all)).expect(200);
    expect(listed.body.default).toBe('default');
    expect(listed.body.collections.map((c: { name: string; status: string }) => `${c.name}:${c.status}`)).toEqual([
      'default:ready',
      'handbook:ready',
      'runbooks:ready',
      'broken:unavailable',
    ]);
    const handbook = listed.body.collections[1];
    expect(handbook).toMatchObject({ documents: 2, chunks: expect.any(Number), generation: expect.stringMatching(/^g-/) });
    expect(Date.parse(handbook.updated)).toBeGreaterThan(Date.now() - 10 * 60_000);

    const models = await new OpenAI({ baseURL: `${base}/v1`, apiKey: KEYS.all, maxRetries: 0 }).models.list();
    expect(models.data.map((m) => m.id)).toEqual([
      'verbatim',
      'verbatim-extractive',
      ...['default', 'handbook', 'runbooks', 'broken'].flatMap((name) => [`verbatim/${name}`, `verbatim-extractive/${name}`]),
    ]);
  });
});

describe('a damaged collection', () => {
  it('is refused by name (503) and reported in /readyz, while the others answer', async () => {
    const refused = await request(app)
      .post('/v1/answer')
      .set(as(KEYS.all))
      .send({ question: 'Anything?', collection: 'broken' })
      .expect(503);
    expect(refused.body.error).toEqual({
      code: 'collection_unavailable',
      message: expect.stringMatching(/^The collection "broken" is unavailable: its index could not be loaded/),
    });
    await request(app).get('/v1/sources?collection=broken').set(as(KEYS.all)).expect(503);
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', generation: expect.stringMatching(/^g-/) });
    expect(ready.body.collections).toContainEqual({ name: 'broken', status: 'unavailable', generation: null });
    const { question, fact } = COLLECTION_QUESTIONS.runbooks;
    const { body } = await request(app).post('/v1/answer').set(as(KEYS.all)).send({ question, collection: 'runbooks' }).expect(200);
    expect(body.answer).toContain(fact);
  });
});

describe('a collection name that cannot be served', () => {
  it('is 404 naming the collections for an unscoped key, 400 when it is not a name', async () => {
    const unknown = await request(app).post('/v1/answer').set(as(KEYS.all)).send({ question: 'Hi there?', collection: 'nope' }).expect(404);
    expect(unknown.body.error).toEqual({
      code: 'collection_not_found',
      message: 'There is no collection "nope"; the collections are: default, handbook, runbooks, broken.',
    });
    const long = await request(app)
      .get(`/v1/sources?collection=${'x'.repeat(5000)}`)
      .set(as(KEYS.all))
      .expect(404);
    expect(long.body.error.message.length).toBeLessThan(200);
    const wrongType = await request(app).post('/v1/answer').set(as(KEYS.all)).send({ question: 'Hi there?', collection: 5 }).expect(400);
    expect(wrongType.body.error.message).toBe('collection: must be a collection name');
    await request(app).get('/v1/sources?collection=a&collection=b').set(as(KEYS.all)).expect(400);
    const model = await new OpenAI({ baseURL: `${base}/v1`, apiKey: KEYS.all, maxRetries: 0 }).chat.completions
      .create({ model: 'verbatim/nope', messages: [{ role: 'user', content: 'Hi there?' }] })
      .catch((error: unknown) => error);
    expect(model).toBeInstanceOf(OpenAI.NotFoundError);
    expect(model).toMatchObject({ code: 'collection_not_found' });
  });
});

describe('a key scoped to one collection', () => {
  const key = as(KEYS.handbook);
  const refusal = {
    code: 'collection_forbidden',
    message: 'This API key may not read the collection "runbooks"; it may read: handbook.',
  };

  it('gets 403 for any other collection on every HTTP surface', async () => {
    const { question } = COLLECTION_QUESTIONS.runbooks;
    expect((await request(app).post('/v1/answer').set(key).send({ question, collection: 'runbooks' }).expect(403)).body.error).toEqual(
      refusal,
    );
    const streamed = await request(app)
      .post('/v1/answer')
      .set(key)
      .set('Accept', 'text/event-stream')
      .send({ question, collection: 'runbooks' });
    expect(streamed.status).toBe(403);
    expect((await request(app).get('/v1/sources?collection=runbooks').set(key).expect(403)).body.error).toEqual(refusal);
    expect((await request(app).get('/v1/sources/pager.md?collection=runbooks').set(key).expect(403)).body.error).toEqual(refusal);
    // The default collection is another collection; a name the server does not have is refused alike (no name leaks).
    await request(app).get('/v1/sources?collection=default').set(key).expect(403);
    expect((await request(app).post('/v1/answer').set(key).send({ question, collection: 'nope' }).expect(403)).body.error.code).toBe(
      'collection_forbidden',
    );

    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: KEYS.handbook, maxRetries: 0 });
    for (const stream of [false, true]) {
      const failed = await client.chat.completions
        .create({ model: 'verbatim/runbooks', messages: [{ role: 'user', content: question }], stream })
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(failed).toMatchObject({ status: 403, type: 'permission_error', code: 'collection_forbidden' });
    }
    await expect(client.models.retrieve('verbatim/runbooks')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('reads its own collection when it names none, and the list endpoints show only what it can read', async () => {
    const { question, fact } = COLLECTION_QUESTIONS.handbook;
    const answered = await request(app).post('/v1/answer').set(key).send({ question }).expect(200);
    expect(answered.body.answer).toContain(fact);
    expectOnlyFrom('handbook', answered.body);
    const sources = await request(app).get('/v1/sources').set(key).expect(200);
    expect(sources.body.sources.map((s: { docId: string }) => s.docId).sort()).toEqual(docsOf('handbook').sort());

    const listed = await request(app).get('/v1/collections').set(key).expect(200);
    expect(listed.body).toMatchObject({ default: 'handbook', collections: [{ name: 'handbook', status: 'ready', documents: 2 }] });
    expect(listed.body.collections).toHaveLength(1);
    const models = await new OpenAI({ baseURL: `${base}/v1`, apiKey: KEYS.handbook, maxRetries: 0 }).models.list();
    expect(models.data.map((m) => m.id)).toEqual(['verbatim', 'verbatim-extractive', 'verbatim/handbook', 'verbatim-extractive/handbook']);
    const completion = await new OpenAI({ baseURL: `${base}/v1`, apiKey: KEYS.handbook, maxRetries: 0 }).chat.completions.create({
      model: 'verbatim',
      messages: [{ role: 'user', content: question }],
    });
    expect(completion.choices[0].message.content).toContain(fact);
  });

  it('of two collections reads the first when it names none, and both when named', async () => {
    const { question } = COLLECTION_QUESTIONS.runbooks;
    const runbooks = await request(app).post('/v1/answer').set(as(KEYS.runbooks)).send({ question }).expect(200);
    expect(runbooks.body.answer).toContain('bravo-7');
    await request(app).get('/v1/sources?collection=default').set(as(KEYS.runbooks)).expect(200);
    await request(app).get('/v1/sources?collection=handbook').set(as(KEYS.runbooks)).expect(403);
  });
});

describe('MCP over Streamable HTTP with collections', () => {
  async function mcpClient(key: string): Promise<Client> {
    const client = new Client({ name: 'collections-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: as(key) } }));
    closers.push(() => client.close());
    return client;
  }

  it('answers and searches each collection from its own documents, and lists resources grouped by collection', async () => {
    const client = await mcpClient(KEYS.all);
    for (const name of NAMES) {
      const { question, fact } = COLLECTION_QUESTIONS[name];
      const answered = await client.callTool({ name: 'answer_question', arguments: { question, collection: name } });
      expect(answered.isError).toBeFalsy();
      const answer = answered.structuredContent as unknown as Answer;
      expect(answer.answer).toContain(fact);
      expectOnlyFrom(name, answer);
      const searched = await client.callTool({ name: 'search_passages', arguments: { query: question, k: 3, collection: name } });
      const { passages } = searched.structuredContent as { passages: Passage[] };
      for (const passage of passages) expect(docsOf(name)).toContain(passage.docId);
    }
    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    expect(uris).toContain('verbatim://sources/south-korea-physical-ai.txt');
    expect(uris).toContain('verbatim://collections/handbook/sources/leave-policy.md');
    expect(uris).toContain('verbatim://collections/runbooks/sources/pager.md');
    const read = await client.readResource({ uri: 'verbatim://collections/runbooks/sources/pager.md' });
    expect((read.contents[0] as { text: string }).text).toContain('The pager rotation changes every Tuesday at 10:00.');
    // A collection's resource reads a range as the default collection's does (issue 26, finding 6).
    const pager = COLLECTION_DOCS.runbooks['pager.md'];
    const range = await client.readResource({ uri: 'verbatim://collections/runbooks/sources/pager.md?start=2&end=16' });
    expect(range.contents[0]).toMatchObject({ text: pager.slice(2, 16), _meta: { start: 2, end: 16, next: 16 } });
    const unknown = await client.callTool({ name: 'answer_question', arguments: { question: 'Hi there?', collection: 'nope' } });
    expect(unknown).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: expect.stringMatching(/^There is no collection "nope"/) }],
    });
  });

  it('refuses a scoped key any other collection in every tool and resource, and lists only its own', async () => {
    const client = await mcpClient(KEYS.handbook);
    const refused = /This API key may not read the collection "runbooks"; it may read: handbook\./;
    const answered = await client.callTool({
      name: 'answer_question',
      arguments: { question: COLLECTION_QUESTIONS.runbooks.question, collection: 'runbooks' },
    });
    expect(answered).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(refused) }] });
    const searched = await client.callTool({ name: 'search_passages', arguments: { query: 'billing host', collection: 'runbooks' } });
    expect(searched).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(refused) }] });
    await expect(client.readResource({ uri: 'verbatim://collections/runbooks/sources/pager.md' })).rejects.toThrow(/Forbidden: .*runbooks/);
    await expect(client.readResource({ uri: 'verbatim://sources/south-korea-physical-ai.txt' })).rejects.toThrow(/Forbidden: .*default/);

    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri).sort()).toEqual([
      'verbatim://collections/handbook/sources/leave-policy.md',
      'verbatim://collections/handbook/sources/office.md',
    ]);
    const own = await client.callTool({ name: 'answer_question', arguments: { question: COLLECTION_QUESTIONS.handbook.question } });
    expect((own.structuredContent as unknown as Answer).answer).toContain('27');
  });
});

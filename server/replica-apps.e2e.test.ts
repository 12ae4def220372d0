import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { Answer } from '../core/contracts/types.js';
import { ingestIntoDatabase } from '../ingest/ingest-into-database.js';
import { EngineRegistry } from '../runtime/engine-registry.js';
import { openCollections } from '../runtime/open-collections.js';
import { SharedParts } from '../runtime/shared-parts.js';
import { collectionSpec } from '../config/collection-spec.js';
import { openDatabase, type Database } from '../store/postgres/database-pool.js';
import { readCurrentGenerationName } from '../store/postgres/read-generation.js';
import { startTestDatabase, type TestDatabase } from '../test/helpers/embedded-database.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, TEST_WORD_VECTORS } from '../test/paths.js';
import { createApp } from './create-app.js';
import { databaseState } from './database-state.js';
import { createServerMetrics } from './metrics/server-metrics.js';
import { metricsRoute } from './routes/metrics-route.js';

/** One replica as server/main.ts wires it with STORE=postgres: its own pool on the shared database. */
interface Replica {
  app: ReturnType<typeof createApp>;
  database: Database;
  registry: EngineRegistry;
  state: ReturnType<typeof databaseState>['state'];
  stop: () => Promise<void>;
}

let test: TestDatabase;
let corpus: string;
const replicas: Replica[] = [];
const QUESTION = 'Which ministry launched the Physical AI Global Alliance?';

const ingest = () =>
  ingestIntoDatabase({
    sourceDir: corpus,
    database: test.database,
    collection: 'default',
    lexical: 'bm25',
    graceSeconds: 0,
    embeddings: localEmbeddings(),
    embedder: LOCAL_IDENTITY,
    chunking: { chunkSize: 1000, chunkOverlap: 200 },
  });

async function startReplica(): Promise<Replica> {
  const config = loadConfig({ STORE: 'postgres', DATABASE_URL: test.embedded.url, WORD_VECTORS_CACHE: TEST_WORD_VECTORS });
  const database = openDatabase({ url: test.embedded.url, poolSize: 3, statementTimeoutMs: 5_000 });
  const { state, stop: stopState } = databaseState(database, () => undefined);
  const metrics = createServerMetrics({
    collections: () => registry.states(),
    pool: () => ({ total: database.pool.totalCount, idle: database.pool.idleCount, waiting: database.pool.waitingCount, max: 3 }),
  });
  const registry = new EngineRegistry(['default'], (name, answer) => metrics.countAnswer(name, answer));
  const { stop } = await openCollections({
    registry,
    specs: [collectionSpec(config, undefined, 'default')],
    shared: new SharedParts(() => undefined),
    database,
    onQuery: (operation, seconds) => metrics.observeStoreQuery(operation, seconds),
    reloadSeconds: 0.05,
    log: () => undefined,
    onError: () => undefined,
  });
  const app = createApp({
    collections: registry,
    limits: { maxQuestionChars: 500, maxHistoryTurns: 4 },
    rateLimitPerMinute: 4,
    rateLimitStore: state.rateLimitStore,
    health: { checkStore: () => database.query('SELECT 1').then(() => undefined) },
    metrics: { router: metricsRoute(metrics.registry, 'scrape-token'), measure: metrics.measure },
  });
  return {
    app,
    database,
    registry,
    state,
    stop: async () => {
      stop();
      stopState();
      await database.close();
    },
  };
}

beforeAll(async () => {
  test = await startTestDatabase();
  corpus = temporaryDir();
  cpSync(CORPUS_DIR, corpus, { recursive: true });
  await ingest();
  replicas.push(await startReplica(), await startReplica());
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) await replica.stop();
  await test?.stop();
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two replicas on one database (STORE=postgres)', () => {
  it('answer from the current generation, and both serve a new one once an ingest commits it', async () => {
    const [a, b] = replicas;
    const first = await readCurrentGenerationName(test.database, 'default');
    for (const replica of replicas) {
      const answer = (await request(replica.app).post('/v1/answer').send({ question: QUESTION }).expect(200)).body as Answer;
      expect(answer.generation).toBe(first);
      expect(answer.answerable).toBe(true);
    }
    writeFileSync(
      join(corpus, 'alliance-budget.md'),
      '# Alliance budget\n\nThe Physical AI Global Alliance has a budget of 812 billion won.\n',
    );
    const { generation: second } = await ingest();
    await until(() => a.registry.resolve('default').generation === second && b.registry.resolve('default').generation === second);
    for (const replica of replicas) {
      const answer = (await request(replica.app).post('/v1/answer').send({ question: 'What budget does the alliance have?' }).expect(200))
        .body as Answer;
      expect(answer.generation).toBe(second);
      expect(answer.answer).toContain('812 billion won');
    }
    const ready = await request(b.app).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', generation: second });
  });

  it('hold a client to one rate limit, whichever replica its requests reach', async () => {
    for (const replica of replicas) await replica.state.rateLimitStore.resetAll?.();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(replicas[i % 2].app).get('/v1/sources')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it("share Slack's memory of answered events and signatures, and its feedback", async () => {
    const [a, b] = replicas;
    expect(await a.state.slack.seenEvents!.firstTime('EvReplicas1')).toBe(true);
    expect(await b.state.slack.seenEvents!.firstTime('EvReplicas1')).toBe(false);
    const now = Math.floor(Date.now() / 1000);
    expect(await b.state.slack.shared!.replayGuard!.check('v0=abc', now)).toBe('first');
    expect(await a.state.slack.shared!.replayGuard!.check('v0=abc', now)).toBe('replayed');
    const press = {
      at: new Date().toISOString(),
      vote: 'not_helpful' as const,
      answerId: 'a1',
      question: 'q',
      answer: 'x',
      user: 'U1',
      channel: 'C1',
    };
    await a.state.slack.feedback!.record(press);
    const { DatabaseFeedbackStore } = await import('../store/postgres/shared/database-feedback-store.js');
    expect(await new DatabaseFeedbackStore(b.database).readAll()).toEqual([press]);
  });

  it('export metrics: requests, answers and refusals, retrieval and store query time, pool use, generation', async () => {
    const [a] = replicas;
    await a.state.rateLimitStore.resetAll?.();
    await request(a.app).get('/metrics').expect(401);
    await request(a.app).post('/v1/answer').send({ question: 'What is the airspeed of an unladen swallow?' });
    const text = (await request(a.app).get('/metrics').set('Authorization', 'Bearer scrape-token').expect(200)).text;
    expect(text).toMatch(/^verbatim_answers_total\{collection="default",mode="extractive",outcome="answered"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_answers_total\{collection="default",mode="extractive",outcome="refused"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_http_requests_total\{method="POST",route="\/v1\/answer",status="200"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/v1\/answer"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_retrieval_duration_seconds_count\{collection="default"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_store_query_duration_seconds_count\{operation="dense"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_store_query_duration_seconds_count\{operation="lexical"\} [1-9]/m);
    expect(text).toMatch(/^verbatim_database_pool_connections\{state="max"\} 3$/m);
    expect(text).toContain(
      `verbatim_collection_generation_info{collection="default",generation="${a.registry.resolve('default').generation}"} 1`,
    );
    expect(text).toMatch(/^verbatim_collection_ready\{collection="default",status="ready"\} 1$/m);
    expect(text).toMatch(/^verbatim_process_resident_memory_bytes \d+/m);
  });

  it('say they are not ready, and answer 503, while the database cannot be reached', async () => {
    const [a] = replicas;
    await a.state.rateLimitStore.resetAll?.();
    await test.embedded.stop();
    const ready = await request(a.app).get('/readyz').expect(503);
    expect(ready.body).toMatchObject({
      status: 'store_unavailable',
      reason: expect.stringMatching(/The database at 127\.0\.0\.1:\d+\/postgres cannot be reached/),
    });
    const answer = await request(a.app).post('/v1/answer').send({ question: QUESTION }).expect(503);
    expect(answer.body.error.code).toBe('store_unavailable');
    expect(answer.headers['retry-after']).toBe('5');
  });
});

import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionSpec } from '../../config/collection-spec.js';
import { loadConfig, type Config } from '../../config/load-config.js';
import { collectAnswer } from '../../core/answer/answer-question.js';
import type { Answer } from '../../core/contracts/types.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded/start-embedded-database.js';
import { ingestIntoDatabase } from '../../ingest/ingest-into-database.js';
import { EngineRegistry } from '../../runtime/engine-registry.js';
import { openCollections } from '../../runtime/open-collections.js';
import { openEngine } from '../../runtime/open-engine.js';
import { SharedParts } from '../../runtime/shared-parts.js';
import { createApp } from '../../server/create-app.js';
import { DATABASE_TEMPLATE } from '../../test/helpers/embedded-database.js';
import { LOCAL_IDENTITY, localEmbeddings } from '../../test/helpers/local-engine.js';
import { migrateToVersion1, writeVersion1Generation } from '../../test/helpers/schema-version-1.js';
import { COLLECTION_DOCS, COLLECTION_QUESTIONS, writeCollectionFolders } from '../../test/helpers/two-collections.js';
import { TEST_WORD_VECTORS } from '../../test/paths.js';
import { IndexMismatchError } from '../index-mismatch-error.js';
import { openDatabase, type Database } from './database-pool.js';
import { DatabaseSchemaError } from './database-schema-error.js';
import { checkDatabaseSchema, migrateDatabase } from './migrate-database.js';
import { SCHEMA } from './migrations.js';
import { openPostgresStore } from './postgres-passage-store.js';
import { readCurrentGeneration } from './read-generation.js';

/**
 * A database Verbatim wrote at schema version 1, whose collections are served by generations of
 * that version's layout (each document's text and blocks whole in its row): migrated to version 2,
 * those generations are refused with the ingest that rebuilds them, never read as if they had
 * the new layout, and an ingest replaces them.
 */
let embedded: EmbeddedDatabase;
let database: Database;
let folders: ReturnType<typeof writeCollectionFolders>;
let config: Config;
const stops: (() => void)[] = [];
const chunking = { chunkSize: 400, chunkOverlap: 80 };
const embedDocuments = (texts: string[]) => localEmbeddings().embedDocuments(texts);

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({ templateFile: DATABASE_TEMPLATE });
  database = openDatabase({ url: embedded.url, poolSize: 4, statementTimeoutMs: 30_000 });
  folders = writeCollectionFolders();
  await migrateToVersion1(database);
  for (const collection of ['default', 'runbooks'] as const) {
    const folder = collection === 'default' ? folders.handbook : folders.runbooks;
    await writeVersion1Generation(database, { collection, folder, embedder: LOCAL_IDENTITY, embedDocuments, chunking });
  }
  config = loadConfig({
    STORE: 'postgres',
    DATABASE_URL: embedded.url,
    WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
    CORPUS_DIR: folders.handbook,
    CHUNK_SIZE: String(chunking.chunkSize),
    CHUNK_OVERLAP: String(chunking.chunkOverlap),
    DATABASE_GENERATION_GRACE_SECONDS: '0',
  });
}, 120_000);

afterAll(async () => {
  stops.forEach((stop) => stop());
  await database?.close();
  await embedded?.stop();
});

const OLDER = (collection: string, source: string, flag = '') =>
  new RegExp(
    `^The index of ${collection} in the database at 127\\.0\\.0\\.1:\\d+/postgres \\(generation g-version-1-${collection}\\) has schema version 1 ` +
      `\\(an earlier version\\); this version reads generations of schema version 2\\. Rebuild it with: STORE=postgres npm run ingest -- ` +
      `${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${flag} \\(or set REINGEST=auto and npm start rebuilds it\\)\\.$`,
  );

describe('a database of schema version 1', () => {
  it('is refused until migrated; db:migrate applies version 2 once, leaving the generations of version 1 as they are', async () => {
    await expect(checkDatabaseSchema(database)).rejects.toThrow(DatabaseSchemaError);
    await expect(checkDatabaseSchema(database)).rejects.toThrow(
      /^The database at 127\.0\.0\.1:\d+\/postgres has schema version 1; this Verbatim needs 2: run npm run db:migrate\.$/,
    );
    const migrated = await migrateDatabase(database);
    expect(migrated.applied).toEqual([
      '2 generation tables read by range (a generation of version 1 is rebuilt by the next ingest of its collection)',
    ]);
    expect(migrated.version).toBe(2);
    expect((await migrateDatabase(database)).applied).toEqual([]);
    await checkDatabaseSchema(database);
    const generations = await database.query<{ name: string; schema_version: number; state: string }>(
      `SELECT name, schema_version, state FROM ${SCHEMA}.generations ORDER BY id`,
    );
    expect(generations).toEqual([
      { name: 'g-version-1-default', schema_version: 1, state: 'current' },
      { name: 'g-version-1-runbooks', schema_version: 1, state: 'current' },
    ]);
  });

  it('refuses to serve a generation of version 1, naming the ingest that rebuilds it, whether or not its folder is given', async () => {
    const generation = (await readCurrentGeneration(database, 'runbooks'))!;
    expect(generation.schemaVersion).toBe(1);
    expect(() => openPostgresStore(database, generation)).toThrow(IndexMismatchError);
    expect(() => openPostgresStore(database, generation)).toThrow(OLDER('runbooks', folders.runbooks, ' --collection runbooks'));

    const options = { database, collection: 'runbooks', log: () => undefined };
    await expect(openEngine(config, '', options)).rejects.toThrow(OLDER('runbooks', folders.runbooks, ' --collection runbooks'));
    // Without REINGEST=auto a server does not rebuild it itself, even from the folder it was built from.
    await expect(openEngine(config, '', { ...options, ingestIfMissing: folders.runbooks })).rejects.toThrow(IndexMismatchError);
    expect((await readCurrentGeneration(database, 'runbooks'))!.name).toBe('g-version-1-runbooks');
  });

  it('rebuilds it at start with REINGEST=auto', async () => {
    const lines: string[] = [];
    const engine = await openEngine(config, '', {
      database,
      collection: 'runbooks',
      ingestIfMissing: folders.runbooks,
      rebuildStale: true,
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toMatch(
      /has schema version 1 \(an earlier version\); this version reads generations of schema version 2; REINGEST=auto: rebuilding it from /,
    );
    const rebuilt = (await readCurrentGeneration(database, 'runbooks'))!;
    expect(rebuilt.schemaVersion).toBe(2);
    expect(engine.generation).toBe(rebuilt.name);
    const answer = await collectAnswer(engine.answer({ question: COLLECTION_QUESTIONS.runbooks.question }));
    expect(answer.answer).toContain(COLLECTION_QUESTIONS.runbooks.fact);
  });

  it('over HTTP: the collection is unavailable (503) with why in the log, until an ingest replaces the generation; then it answers', async () => {
    const errors: string[] = [];
    const registry = new EngineRegistry(['default']);
    const { stop } = await openCollections({
      registry,
      specs: [collectionSpec(config, undefined, 'default')],
      shared: new SharedParts(() => undefined),
      database,
      reloadSeconds: 0.05,
      log: () => undefined,
      onError: (_name, error) => errors.push((error as Error).message),
    });
    stops.push(stop);
    const app = createApp({ collections: registry, limits: { maxQuestionChars: 500, maxHistoryTurns: 4 } });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(OLDER('default', folders.handbook));
    expect((await request(app).get('/readyz').expect(503)).body).toMatchObject({ status: 'unavailable' });
    const refused = await request(app).post('/v1/answer').send({ question: COLLECTION_QUESTIONS.handbook.question }).expect(503);
    expect(refused.body.error.code).toBe('collection_unavailable');

    const old = (await readCurrentGeneration(database, 'default'))!;
    const summary = await ingestIntoDatabase({
      sourceDir: folders.handbook,
      database,
      collection: 'default',
      lexical: 'bm25',
      graceSeconds: 0,
      embeddings: localEmbeddings(),
      embedder: LOCAL_IDENTITY,
      chunking,
    });
    // The generation of version 1 still gives its unchanged documents' chunks and vectors.
    expect(summary.reusedDocuments).toBe(Object.keys(COLLECTION_DOCS.handbook).length);
    expect(summary.embeddedChunks).toBe(0);
    expect(summary.removedDocuments).toBe(0);
    expect((await readCurrentGeneration(database, 'default'))!.schemaVersion).toBe(2);
    // Replaced, and past its grace (0 s): its tables are dropped, in the layout they had.
    const left = await database.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name LIKE $2`,
      [SCHEMA, `g${old.id}\\_%`],
    );
    expect(left).toEqual([]);

    const deadline = Date.now() + 10_000;
    while ((await request(app).get('/readyz')).status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await request(app).get('/readyz').expect(200)).body).toMatchObject({ status: 'ready', generation: summary.generation });
    const answer = (await request(app).post('/v1/answer').send({ question: COLLECTION_QUESTIONS.handbook.question }).expect(200))
      .body as Answer;
    expect(answer.generation).toBe(summary.generation);
    expect(answer.answer).toContain(COLLECTION_QUESTIONS.handbook.fact);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((citation) => citation.verified)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../store/postgres/database-pool.js';
import { SCHEMA } from '../store/postgres/migrations.js';
import { DatabaseFeedbackStore } from '../store/postgres/shared/database-feedback-store.js';
import { DATABASE_TEMPLATE } from '../test/helpers/embedded-database.js';
import { LOCAL_IDENTITY, localEmbeddings } from '../test/helpers/local-engine.js';
import { runScript } from '../test/helpers/run-script.js';
import { writeVersion1Generation } from '../test/helpers/schema-version-1.js';
import { CORPUS_DIR, SEED_DEV } from '../test/paths.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded/start-embedded-database.js';

/** Every command with STORE=postgres, as a person runs them, on an embedded database not yet migrated. */
let embedded: EmbeddedDatabase;
let database: Database;
let environment: Record<string, string>;

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({ templateFile: DATABASE_TEMPLATE });
  database = openDatabase({ url: embedded.url, poolSize: 2, statementTimeoutMs: 10_000 });
  environment = { STORE: 'postgres', DATABASE_URL: embedded.url, CORPUS_DIR };
}, 60_000);

afterAll(async () => {
  await database?.close();
  await embedded?.stop();
});

const QUESTION = 'Which Korean companies did Nvidia pledge to cooperate with?';

describe('the commands with STORE=postgres', () => {
  it('refuse a database without the schema, naming the migration to run; db:migrate applies it once', async () => {
    const refused = await runScript('ask/main.ts', [QUESTION], environment);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/The database at 127\.0\.0\.1:\d+\/postgres holds no Verbatim schema yet: run npm run db:migrate first\./);

    const migrated = await runScript('db/migrate/main.ts', [], environment);
    expect(migrated.code, migrated.err).toBe(0);
    expect(migrated.out).toMatch(
      /is at schema version 2 \(applied 1 collections, generations and what replicas share; 2 generation tables read by range \(a generation of version 1 is rebuilt by the next ingest of its collection\)\); pg_textsearch is installed: lexical search uses its BM25 index\./,
    );
    const again = await runScript('db/migrate/main.ts', [], environment);
    expect(again.out).toContain('(nothing to apply)');
  }, 60_000);

  it('ingest into the database, answer from it with npm run ask, and evaluate a throw-away collection that is removed after', async () => {
    const ingested = await runScript('ingest/main.ts', [], environment);
    expect(ingested.code, ingested.err).toBe(0);
    expect(ingested.err).toMatch(/-> the database at 127\.0\.0\.1:\d+\/postgres, collection default/);
    expect(ingested.out).toMatch(/^Indexed 1 documents, \d+ chunks .*; index generation g-/);

    const asked = await runScript('ask/main.ts', [QUESTION, '--json'], environment);
    expect(asked.code, asked.err).toBe(0);
    const answer = JSON.parse(asked.out) as { answer: string; citations: { verified: boolean }[] };
    expect(answer.answer).toContain('Samsung');
    expect(answer.citations.every((citation) => citation.verified)).toBe(true);

    const evaluated = await runScript('eval/main.ts', ['--cases', SEED_DEV, '--docs', CORPUS_DIR], environment);
    expect(evaluated.code, `${evaluated.out}\n${evaluated.err}`).toBe(0);
    expect(evaluated.out).toMatch(/hit_at_5 +1\n/);
    expect(evaluated.out).toContain('Evaluation passed.');
    const collections = await database.query<{ name: string }>(`SELECT name FROM ${SCHEMA}.collections ORDER BY name`);
    expect(collections.map((row) => row.name)).toEqual(['default']);
  }, 120_000);

  it('export the feedback replicas recorded in the database', async () => {
    await new DatabaseFeedbackStore(database).record({
      at: '2026-12-01T10:00:00.000Z',
      vote: 'not_helpful',
      answerId: 'answer-1',
      question: 'Who leads the alliance?',
      answer: 'It does not say.',
      user: 'U1',
      channel: 'C1',
    });
    const exported = await runScript('slack/export-feedback.ts', [], environment);
    expect(exported.code, exported.err).toBe(0);
    expect(JSON.parse(exported.out.trim())).toMatchObject({ id: 'feedback-answer-1', question: 'Who leads the alliance?' });
  }, 60_000);

  it('refuse a database of schema version 1 until db:migrate brings it to 2, then its generation of version 1 until an ingest rebuilds it', async () => {
    // As Verbatim left it at version 1: migration 2 not applied, `default` served by a generation of that layout.
    await database.query(`DELETE FROM ${SCHEMA}.schema_migrations WHERE version >= 2`);
    await writeVersion1Generation(database, {
      collection: 'default',
      folder: CORPUS_DIR,
      embedder: LOCAL_IDENTITY,
      embedDocuments: (texts) => localEmbeddings().embedDocuments(texts),
      chunking: { chunkSize: 1000, chunkOverlap: 200 },
    });
    const unmigrated = await runScript('ask/main.ts', [QUESTION], environment);
    expect(unmigrated.code).toBe(2);
    expect(unmigrated.err).toMatch(/has schema version 1; this Verbatim needs 2: run npm run db:migrate\./);

    const migrated = await runScript('db/migrate/main.ts', [], environment);
    expect(migrated.code, migrated.err).toBe(0);
    expect(migrated.out).toMatch(
      /is at schema version 2 \(applied 2 generation tables read by range \(a generation of version 1 is rebuilt by the next ingest of its collection\)\);/,
    );

    const refused = await runScript('ask/main.ts', [QUESTION], environment);
    expect(refused.code).toBe(2);
    expect(refused.err.trim()).toMatch(
      /^The index of default in the database at 127\.0\.0\.1:\d+\/postgres \(generation g-version-1-default\) has schema version 1 \(an earlier version\); this version reads generations of schema version 2\. Rebuild it with: STORE=postgres npm run ingest -- \S+\/corpus \(or set REINGEST=auto and npm start rebuilds it\)\.$/,
    );

    const ingested = await runScript('ingest/main.ts', [], environment);
    expect(ingested.code, ingested.err).toBe(0);
    const asked = await runScript('ask/main.ts', [QUESTION, '--json'], environment);
    expect(asked.code, asked.err).toBe(0);
    expect((JSON.parse(asked.out) as { answer: string }).answer).toContain('Samsung');
  }, 120_000);

  it('refuse a database a newer Verbatim migrated, naming both versions', async () => {
    await database.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES (999, 'from the future')`);
    const refused = await runScript('ask/main.ts', [QUESTION], environment);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      'The database has schema version 999, written by a newer Verbatim; this one knows versions up to 2. Upgrade Verbatim rather than serve a schema it does not know.',
    );
  }, 60_000);
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { QueryResultRow } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestIntoDatabase } from '../../ingest/ingest-into-database.js';
import { startTestDatabase, type TestDatabase } from '../../test/helpers/embedded-database.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../../test/helpers/local-engine.js';
import { CONTRACT_CHUNKING, CONTRACT_DOCUMENTS, describePassageStoreContract } from '../../test/passage-store-contract.js';
import type { LexicalSearchKind } from './generation-tables.js';
import { openPostgresStore } from './postgres-passage-store.js';
import type { Database } from './database-pool.js';
import { readCurrentGeneration } from './read-generation.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await startTestDatabase();
}, 120_000);

afterAll(async () => {
  await test?.stop();
});

/** The contract documents as files, ingested into a collection of the embedded database over the wire. */
async function build(lexical: LexicalSearchKind) {
  const folder = temporaryDir();
  for (const document of CONTRACT_DOCUMENTS) {
    mkdirSync(dirname(join(folder, document.docId)), { recursive: true });
    writeFileSync(join(folder, document.docId), document.text);
  }
  const collection = `contract-${lexical}`;
  await ingestIntoDatabase({
    sourceDir: folder,
    database: test.database,
    collection,
    lexical,
    graceSeconds: 0,
    embeddings: localEmbeddings(),
    embedder: LOCAL_IDENTITY,
    chunking: CONTRACT_CHUNKING,
  });
  const generation = (await readCurrentGeneration(test.database, collection))!;
  return { store: openPostgresStore(test.database, generation), embed: (text: string) => localEmbeddings().embedQuery(text) };
}

describePassageStoreContract('Postgres over the wire (embedded PGlite), BM25 candidates from pg_textsearch', () => build('bm25'));
describePassageStoreContract('Postgres over the wire (embedded PGlite), candidates from full-text search (tsvector, GIN)', () =>
  build('fts'),
);

describe('Postgres store reads by range', () => {
  it('reads the pieces a chunk, a range or a block shows, never a whole document of a megabyte on one line', async () => {
    const folder = temporaryDir();
    const line = Array.from({ length: 40_000 }, (_, i) => `Crate ${i} holds cargo 🚢.`).join(' ');
    writeFileSync(join(folder, 'manifest.txt'), line);
    await ingestIntoDatabase({
      sourceDir: folder,
      database: test.database,
      collection: 'one-line',
      lexical: 'bm25',
      graceSeconds: 0,
      embeddings: localEmbeddings(),
      embedder: LOCAL_IDENTITY,
      chunking: { chunkSize: 1000, chunkOverlap: 100 },
    });
    let fetched = 0;
    // The same pool, counting the characters of text each query brings back.
    const counting: Database = {
      ...test.database,
      async query<Row extends QueryResultRow>(sql: string, params?: unknown[]) {
        const rows = await test.database.query<Row>(sql, params);
        for (const row of rows) for (const value of Object.values(row)) if (typeof value === 'string') fetched += value.length;
        return rows;
      },
    };
    const store = openPostgresStore(counting, (await readCurrentGeneration(test.database, 'one-line'))!, { cacheCharacters: 0 });
    const summary = (await store.getSummary('manifest.txt'))!;
    expect(summary.characters).toBe(line.length);
    expect(line.length).toBeGreaterThan(1_000_000);

    fetched = 0;
    const [chunk] = await store.getChunks([`manifest.txt#${Math.floor(summary.chunks / 2)}`]);
    expect(chunk.text).toBe(line.slice(chunk.start, chunk.end));
    expect(chunk.blocks[0].text).toBe(line.slice(chunk.blocks[0].start, chunk.blocks[0].end));
    expect(fetched).toBeLessThan(30_000);

    fetched = 0;
    expect(await store.getText('manifest.txt', 700_000, 700_010)).toBe(line.slice(700_000, 700_010));
    expect(fetched).toBeLessThan(3 * 4096 + 200);

    fetched = 0;
    expect(await store.getBlocks('manifest.txt', 500_000, 500_001)).toEqual([
      { kind: 'paragraph', start: 0, end: line.length, headingPath: [], page: null },
    ]);
    expect(fetched).toBeLessThan(1_000);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ingestIntoDatabase } from '../../ingest/ingest-into-database.js';
import { startTestDatabase, type TestDatabase } from '../../test/helpers/embedded-database.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../../test/helpers/local-engine.js';
import { CONTRACT_CHUNKING, CONTRACT_DOCUMENTS, describePassageStoreContract } from '../../test/passage-store-contract.js';
import type { LexicalSearchKind } from './generation-tables.js';
import { openPostgresStore } from './postgres-passage-store.js';
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

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { EmbedderIdentity } from '../../core/contracts/passage-store.js';
import { chunkDocument } from '../../ingest/chunk-document.js';
import { loadDocuments } from '../../ingest/load-documents.js';
import type { Database } from '../../store/postgres/database-pool.js';
import { MIGRATIONS, SCHEMA } from '../../store/postgres/migrations.js';

/**
 * A database as Verbatim left it at schema version 1: the migrations table with migration 1
 * applied, nothing after (what `npm run db:migrate` made before version 2 existed).
 */
export async function migrateToVersion1(database: Database): Promise<void> {
  const [first] = MIGRATIONS;
  await database.transaction(async (client) => {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(first.sql);
    await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [first.version, first.name]);
  });
}

/** The tables of a generation as schema version 1 laid them out: each document's text and blocks whole in its row. */
function version1TablesSql(id: number, dimensions: number): string {
  const prefix = `${SCHEMA}.g${id}_`;
  return `
    CREATE TABLE ${prefix}documents (
      position integer PRIMARY KEY, doc_id text NOT NULL, path text NOT NULL, url text, title text NOT NULL,
      kind text NOT NULL, pages integer, hash text NOT NULL, characters integer NOT NULL, chunk_count integer NOT NULL,
      etag text, last_modified text, text text NOT NULL, blocks jsonb NOT NULL);
    CREATE TABLE ${prefix}chunks (
      position integer PRIMARY KEY, doc_id text NOT NULL, ordinal integer NOT NULL,
      start_offset integer NOT NULL, end_offset integer NOT NULL, heading_field text NOT NULL);
    CREATE TABLE ${prefix}vectors (position integer PRIMARY KEY, embedding vector(${dimensions}) NOT NULL);
    CREATE TABLE ${prefix}lexical (
      position integer PRIMARY KEY, text_terms text NOT NULL, heading_terms text NOT NULL,
      text_length integer NOT NULL, heading_length integer NOT NULL, lexemes tsvector NOT NULL);
    CREATE TABLE ${prefix}terms (term text PRIMARY KEY, text_df integer NOT NULL, heading_df integer NOT NULL);`;
}

export interface Version1GenerationInput {
  collection: string;
  /** The folder it is built from, recorded as its source. */
  folder: string;
  embedder: EmbedderIdentity;
  embedDocuments: (texts: string[]) => Promise<number[][]>;
  chunking: { chunkSize: number; chunkOverlap: number };
}

/**
 * Writes a generation of schema version 1 of a collection from the documents of a folder and
 * makes it current (the one it replaces marked replaced), in that version's layout: documents with their whole text and blocks,
 * chunks with their offsets, vectors. Its lexical tables stay empty (no reader of a later version
 * searches them; an ingest reuses only documents, chunks and vectors). Returns its name.
 */
export async function writeVersion1Generation(database: Database, input: Version1GenerationInput): Promise<string> {
  const { documents } = await loadDocuments(input.folder);
  const chunks = (await Promise.all(documents.map((document) => chunkDocument(document, input.chunking)))).flat();
  const vectors = await input.embedDocuments(chunks.map((chunk) => chunk.text));
  const name = `g-version-1-${input.collection}`;
  await database.query(`INSERT INTO ${SCHEMA}.collections (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [input.collection]);
  const [{ id: rawId }] = await database.query<{ id: string }>(
    `INSERT INTO ${SCHEMA}.generations (collection, name, state, schema_version, embedder_name, dimensions, chunk_size, chunk_overlap,
       source, lexical_search, document_count, chunk_count, committed_at)
     VALUES ($1, $2, 'current', 1, $3, $4, $5, $6, $7, 'fts', $8, $9, now()) RETURNING id`,
    [
      input.collection,
      name,
      input.embedder.name,
      input.embedder.dimensions,
      input.chunking.chunkSize,
      input.chunking.chunkOverlap,
      resolve(input.folder),
      documents.length,
      chunks.length,
    ],
  );
  const id = Number(rawId);
  await database.query(version1TablesSql(id, input.embedder.dimensions));
  const prefix = `${SCHEMA}.g${id}_`;
  for (const [position, document] of documents.entries()) {
    await database.query(
      `INSERT INTO ${prefix}documents (position, doc_id, path, url, title, kind, pages, hash, characters, chunk_count, text, blocks)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb)`,
      [
        position,
        document.docId,
        document.path,
        document.url,
        document.title,
        document.kind,
        document.pages,
        createHash('sha256').update(document.text).digest('hex'),
        document.text.length,
        chunks.filter((chunk) => chunk.docId === document.docId).length,
        document.text,
        JSON.stringify(document.blocks),
      ],
    );
  }
  for (const [position, chunk] of chunks.entries()) {
    await database.query(
      `INSERT INTO ${prefix}chunks (position, doc_id, ordinal, start_offset, end_offset, heading_field) VALUES ($1, $2, $3, $4, $5, '')`,
      [position, chunk.docId, Number(chunk.chunkId.slice(chunk.chunkId.lastIndexOf('#') + 1)), chunk.start, chunk.end],
    );
    await database.query(`INSERT INTO ${prefix}vectors (position, embedding) VALUES ($1, $2::vector)`, [
      position,
      `[${vectors[position].join(',')}]`,
    ]);
  }
  await database.transaction(async (client) => {
    await client.query(
      `UPDATE ${SCHEMA}.generations SET state = 'replaced', replaced_at = now()
         WHERE id = (SELECT current_generation FROM ${SCHEMA}.collections WHERE name = $1)`,
      [input.collection],
    );
    await client.query(`UPDATE ${SCHEMA}.collections SET current_generation = $1, updated_at = now() WHERE name = $2`, [
      id,
      input.collection,
    ]);
  });
  return name;
}

import type pg from 'pg';
import type { EmbedderIdentity } from '../../core/contracts/passage-store.js';
import { chunkBlockIndices } from '../../core/chunks/stored-chunk.js';
import type { Block, Chunk, StoredDocument } from '../../core/contracts/types.js';
import { newGenerationName } from '../index-layout.js';
import { lexicalFieldTexts, vectorRow } from '../search-index.js';
import { analyseLexicalFields } from './analyse-lexical-fields.js';
import type { Database } from './database-pool.js';
import { createIndexesSql, createTablesSql, generationTables, type LexicalSearchKind } from './generation-tables.js';
import { SCHEMA, SCHEMA_VERSION } from './migrations.js';
import { removeOldGenerations } from './remove-old-generations.js';
import { textPieces, type TextPiece } from './text-pieces.js';

/** A document as an ingest hands it over, with a crawled page's validators. */
export type GenerationDocument = StoredDocument & { etag?: string; lastModified?: string };

/** Everything one generation holds. */
export interface GenerationInput {
  collection: string;
  embedder: EmbedderIdentity;
  chunking: { chunkSize: number; chunkOverlap: number };
  /** The folder or start URL the documents came from. */
  source: string;
  lexical: LexicalSearchKind;
  documents: GenerationDocument[];
  /** Every document's chunks, in document order. */
  chunks: Chunk[];
  /** One row of `embedder.dimensions` per chunk. */
  vectors: Float32Array;
  /** Seconds a replaced generation is kept for replicas still reading it. */
  graceSeconds: number;
  now?: () => Date;
  /** Told each step (tests stop an ingest between them). */
  onStep?: (step: 'created' | 'written' | 'indexed' | 'committed') => void;
}

/** What writing a generation did. */
export interface WrittenGeneration {
  name: string;
  id: number;
  /** Generations removed: replaced longer ago than the grace period, or left building by a killed ingest. */
  removed: string[];
}

/** Rows per INSERT (text pieces: until about this many characters). */
const ROWS_PER_BATCH = 2_000;
const TEXT_PER_BATCH = 4_000_000;

/**
 * Writes a whole new generation of a collection, then makes it current in one transaction. Its
 * rows go into tables of its own (generation-tables.ts) while the generation is `building`,
 * which no replica reads; the commit then checks it is complete, points the collection at it and
 * marks the one it replaces `replaced`, all at once: a replica reads the old generation or the
 * new one, never a mix, and a killed ingest leaves the old one current (the next ingest removes
 * what it left). The rows are not written inside that transaction on purpose: a transaction of
 * the whole corpus would hold a database connection and its locks for the length of the ingest
 * (and stall every other connection of the embedded database, which runs one session).
 */
export async function writeGeneration(database: Database, input: GenerationInput): Promise<WrittenGeneration> {
  for (const document of input.documents) {
    if (document.text.includes('\u0000')) throw new Error(`${document.docId} holds a NUL character, which Postgres cannot store`);
  }
  const name = newGenerationName(input.now?.() ?? new Date());
  await database.query(`INSERT INTO ${SCHEMA}.collections (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [input.collection]);
  const fields = analyseLexicalFields(lexicalFieldTexts(input));
  const [{ id: rawId }] = await database.query<{ id: string }>(
    `INSERT INTO ${SCHEMA}.generations (collection, name, state, schema_version, embedder_name, dimensions, chunk_size, chunk_overlap,
       source, lexical_search, document_count, chunk_count, text_average_length, heading_average_length)
     VALUES ($1, $2, 'building', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      input.collection,
      name,
      SCHEMA_VERSION,
      input.embedder.name,
      input.embedder.dimensions,
      input.chunking.chunkSize,
      input.chunking.chunkOverlap,
      input.source,
      input.lexical,
      input.documents.length,
      input.chunks.length,
      fields.textAverageLength,
      fields.headingAverageLength,
    ],
  );
  const id = Number(rawId);
  await database.query(createTablesSql(id, input.embedder.dimensions));
  input.onStep?.('created');
  await insertRows(database, id, input, fields);
  input.onStep?.('written');
  await database.maintain(createIndexesSql(id, input.lexical), { maintenance_work_mem: '256MB' });
  input.onStep?.('indexed');
  await database.transaction(async (client) => commit(client, id, input));
  input.onStep?.('committed');
  const removed = await removeOldGenerations(database, input.collection, input.graceSeconds, id);
  return { name, id, removed };
}

/** The switch: the new generation becomes current and the old one replaced, in one transaction. */
async function commit(client: pg.PoolClient, id: number, input: GenerationInput): Promise<void> {
  const t = generationTables(id);
  // The collection's row is locked first: two ingests committing at once take turns.
  await client.query(`SELECT current_generation FROM ${SCHEMA}.collections WHERE name = $1 FOR UPDATE`, [input.collection]);
  const { rows } = await client.query<{ documents: string; chunks: string }>(
    `SELECT (SELECT count(*) FROM ${t.documents}) AS documents, (SELECT count(*) FROM ${t.chunks}) AS chunks`,
  );
  if (Number(rows[0].documents) !== input.documents.length || Number(rows[0].chunks) !== input.chunks.length) {
    throw new Error(`generation ${id} is incomplete: ${rows[0].documents} documents and ${rows[0].chunks} chunks written`);
  }
  await client.query(
    `UPDATE ${SCHEMA}.generations SET state = 'replaced', replaced_at = now()
       WHERE id = (SELECT current_generation FROM ${SCHEMA}.collections WHERE name = $1)`,
    [input.collection],
  );
  await client.query(`UPDATE ${SCHEMA}.generations SET state = 'current', committed_at = now() WHERE id = $1`, [id]);
  await client.query(`UPDATE ${SCHEMA}.collections SET current_generation = $1, updated_at = now() WHERE name = $2`, [
    id,
    input.collection,
  ]);
}

async function insertRows(
  database: Database,
  id: number,
  input: GenerationInput,
  fields: ReturnType<typeof analyseLexicalFields>,
): Promise<void> {
  const t = generationTables(id);
  const counts = new Map<string, number>();
  for (const chunk of input.chunks) counts.set(chunk.docId, (counts.get(chunk.docId) ?? 0) + 1);
  const documentsById = new Map(input.documents.map((document) => [document.docId, document]));
  for (let from = 0; from < input.documents.length; from += ROWS_PER_BATCH) {
    const batch = input.documents.slice(from, from + ROWS_PER_BATCH);
    await database.query(
      `INSERT INTO ${t.documents} (position, doc_id, path, url, title, kind, pages, hash, characters, chunk_count, block_count, etag, last_modified)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::int[],
                            $10::int[], $11::int[], $12::text[], $13::text[])`,
      [
        batch.map((_, i) => from + i),
        batch.map((d) => d.docId),
        batch.map((d) => d.path),
        batch.map((d) => d.url),
        batch.map((d) => d.title),
        batch.map((d) => d.kind),
        batch.map((d) => d.pages),
        batch.map((d) => d.hash),
        batch.map((d) => d.text.length),
        batch.map((d) => counts.get(d.docId) ?? 0),
        batch.map((d) => d.blocks.length),
        batch.map((d) => d.etag ?? null),
        batch.map((d) => d.lastModified ?? null),
      ],
    );
  }
  await insertTexts(database, t.texts, input.documents);
  await insertBlocks(database, t.blocks, input.documents);
  const dimensions = input.embedder.dimensions;
  const ordinals = new Map<string, number>();
  for (let from = 0; from < input.chunks.length; from += ROWS_PER_BATCH) {
    const batch = input.chunks.slice(from, from + ROWS_PER_BATCH);
    const positions = batch.map((_, i) => from + i);
    const carried = batch.map((c) => chunkBlockIndices(documentsById.get(c.docId)!.blocks, c));
    await database.query(
      `INSERT INTO ${t.chunks} (position, doc_id, ordinal, start_offset, end_offset, heading_field, block_first, block_count, framing)
       SELECT p, d, o, s, e, h, f, n, fr::int[]
       FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::int[], $8::int[], $9::text[])
         AS r(p, d, o, s, e, h, f, n, fr)`,
      [
        positions,
        batch.map((c) => c.docId),
        batch.map((c) => {
          const n = ordinals.get(c.docId) ?? 0;
          ordinals.set(c.docId, n + 1);
          return n;
        }),
        batch.map((c) => c.start),
        batch.map((c) => c.end),
        batch.map((c) => headingFieldOf(documentsById.get(c.docId)!, c)),
        carried.map((blocks) => blocks.first),
        carried.map((blocks) => blocks.count),
        // As array literals ({3,7}): a column of arrays does not go through unnest as one.
        carried.map((blocks) => `{${blocks.framing.join(',')}}`),
      ],
    );
    await database.query(
      `INSERT INTO ${t.vectors} (position, embedding) SELECT p, v::vector FROM unnest($1::int[], $2::text[]) AS r(p, v)`,
      [positions, positions.map((position) => `[${Array.from(vectorRow(input.vectors, dimensions, position)).join(',')}]`)],
    );
    await database.query(
      `INSERT INTO ${t.lexical} (position, text_terms, heading_terms, text_length, heading_length, lexemes)
       SELECT p, tt, ht, tl, hl, lx::tsvector FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[])
         AS r(p, tt, ht, tl, hl, lx)`,
      [
        positions,
        positions.map((p) => fields.textTerms[p]),
        positions.map((p) => fields.headingTerms[p]),
        positions.map((p) => fields.textLengths[p]),
        positions.map((p) => fields.headingLengths[p]),
        positions.map((p) => fields.lexemes[p]),
      ],
    );
  }
  const terms = [...fields.documentFrequency];
  for (let from = 0; from < terms.length; from += ROWS_PER_BATCH * 5) {
    const batch = terms.slice(from, from + ROWS_PER_BATCH * 5);
    await database.query(`INSERT INTO ${t.terms} (term, text_df, heading_df) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])`, [
      batch.map(([term]) => term),
      batch.map(([, counts]) => counts.text),
      batch.map(([, counts]) => counts.heading),
    ]);
  }
}

/** Each document's text in pieces (text-pieces.ts), about TEXT_PER_BATCH characters an INSERT. */
async function insertTexts(database: Database, table: string, documents: readonly StoredDocument[]): Promise<void> {
  let rows: { document: number; piece: TextPiece }[] = [];
  let characters = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    await database.query(
      `INSERT INTO ${table} (document, piece, start_offset, text) SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[])`,
      [
        rows.map((row) => row.document),
        rows.map((row) => row.piece.piece),
        rows.map((row) => row.piece.start),
        rows.map((row) => row.piece.text),
      ],
    );
    rows = [];
    characters = 0;
  };
  for (const [document, { text }] of documents.entries()) {
    for (const piece of textPieces(text)) {
      rows.push({ document, piece });
      characters += piece.text.length;
      if (characters >= TEXT_PER_BATCH || rows.length >= ROWS_PER_BATCH) await flush();
    }
  }
  await flush();
}

/** Each document's blocks, by ordinal, with their offsets apart (ranges are found by them). */
async function insertBlocks(database: Database, table: string, documents: readonly StoredDocument[]): Promise<void> {
  let rows: { document: number; ordinal: number; block: Block }[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    await database.query(
      `INSERT INTO ${table} (document, ordinal, start_offset, end_offset, block)
       SELECT d, o, s, e, b::jsonb FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[]) AS r(d, o, s, e, b)`,
      [
        rows.map((row) => row.document),
        rows.map((row) => row.ordinal),
        rows.map((row) => row.block.start),
        rows.map((row) => row.block.end),
        rows.map(({ block: { start: _start, end: _end, ...rest } }) => JSON.stringify(rest)),
      ],
    );
    rows = [];
  };
  for (const [document, { blocks }] of documents.entries()) {
    for (const [ordinal, block] of blocks.entries()) {
      rows.push({ document, ordinal, block });
      if (rows.length >= ROWS_PER_BATCH * 5) await flush();
    }
  }
  await flush();
}

/** The heading field (core/chunks/heading-field.ts), kept so a reader sees what lexical search matched besides the text. */
function headingFieldOf(document: StoredDocument, chunk: Chunk): string {
  return lexicalFieldTexts({ documents: [document], chunks: [chunk] }).heading[0];
}

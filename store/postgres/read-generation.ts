import { IndexMismatchError } from '../index-mismatch-error.js';
import type { Database } from './database-pool.js';
import { GENERATION_LAYOUT_VERSION, type LexicalSearchKind } from './generation-tables.js';
import { SCHEMA } from './migrations.js';

/** A committed generation as a store reads it. */
export interface GenerationRecord {
  id: number;
  name: string;
  collection: string;
  /** The schema version that wrote it: its tables have that version's layout. */
  schemaVersion: number;
  embedder: { name: string; dimensions: number };
  chunking: { chunkSize: number; chunkOverlap: number };
  source: string;
  lexical: LexicalSearchKind;
  documentCount: number;
  chunkCount: number;
  textAverageLength: number;
  headingAverageLength: number;
}

interface GenerationRow {
  id: string;
  name: string;
  collection: string;
  schema_version: number;
  embedder_name: string;
  dimensions: number;
  chunk_size: number;
  chunk_overlap: number;
  source: string;
  lexical_search: LexicalSearchKind;
  document_count: number;
  chunk_count: number;
  text_average_length: number;
  heading_average_length: number;
}

const COLUMNS = `g.id, g.name, g.collection, g.schema_version, g.embedder_name, g.dimensions, g.chunk_size, g.chunk_overlap, g.source, g.lexical_search,
  g.document_count, g.chunk_count, g.text_average_length, g.heading_average_length`;

function record(row: GenerationRow): GenerationRecord {
  return {
    id: Number(row.id),
    name: row.name,
    collection: row.collection,
    schemaVersion: Number(row.schema_version),
    embedder: { name: row.embedder_name, dimensions: row.dimensions },
    chunking: { chunkSize: row.chunk_size, chunkOverlap: row.chunk_overlap },
    source: row.source,
    lexical: row.lexical_search,
    documentCount: row.document_count,
    chunkCount: row.chunk_count,
    textAverageLength: Number(row.text_average_length),
    headingAverageLength: Number(row.heading_average_length),
  };
}

/** The generation a collection serves now, or null when it has none (never ingested). */
export async function readCurrentGeneration(database: Database, collection: string): Promise<GenerationRecord | null> {
  const rows = await database.query<GenerationRow>(
    `SELECT ${COLUMNS} FROM ${SCHEMA}.collections c JOIN ${SCHEMA}.generations g ON g.id = c.current_generation WHERE c.name = $1`,
    [collection],
  );
  return rows[0] ? record(rows[0]) : null;
}

/** The name of the generation a collection serves now (a cheap poll for replicas), or null. */
export async function readCurrentGenerationName(database: Database, collection: string): Promise<string | null> {
  const rows = await database.query<{ name: string }>(
    `SELECT g.name FROM ${SCHEMA}.collections c JOIN ${SCHEMA}.generations g ON g.id = c.current_generation WHERE c.name = $1`,
    [collection],
  );
  return rows[0]?.name ?? null;
}

/** A generation by name, committed (current, or replaced and not yet removed); null when there is none. */
export async function readGeneration(database: Database, name: string): Promise<GenerationRecord | null> {
  const rows = await database.query<GenerationRow>(
    `SELECT ${COLUMNS} FROM ${SCHEMA}.generations g WHERE g.name = $1 AND g.state IN ('current', 'replaced')`,
    [name],
  );
  return rows[0] ? record(rows[0]) : null;
}

/** Every collection the database holds a current generation of, by name. */
export async function listDatabaseCollections(database: Database): Promise<string[]> {
  const rows = await database.query<{ name: string }>(
    `SELECT name FROM ${SCHEMA}.collections WHERE current_generation IS NOT NULL ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

/**
 * Refuses a generation whose tables have an older layout than this code reads (written before
 * GENERATION_LAYOUT_VERSION): it is not read as if it had the new one.
 */
export function checkGenerationLayout(generation: GenerationRecord, address: string): void {
  const error = olderLayoutError(generation, address);
  if (error) throw error;
}

/**
 * Why a generation of an older layout is not served, or null when its layout is the one this code
 * reads. Nothing converts it in place; an ingest of its collection writes a new generation that
 * replaces it: the message names that ingest, with the source the generation was built from.
 */
export function olderLayoutError(generation: GenerationRecord, address: string): IndexMismatchError | null {
  if (generation.schemaVersion >= GENERATION_LAYOUT_VERSION) return null;
  const collection = generation.collection === 'default' ? '' : ` --collection ${generation.collection}`;
  return new IndexMismatchError(
    `The index of ${generation.collection} in the database at ${address} (generation ${generation.name}) has schema version ` +
      `${generation.schemaVersion} (an earlier version); this version reads generations of schema version ${GENERATION_LAYOUT_VERSION}. ` +
      `Rebuild it with: STORE=postgres npm run ingest -- ${generation.source}${collection} (or set REINGEST=auto and npm start rebuilds it).`,
    generation.source,
  );
}

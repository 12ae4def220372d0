import type { Database } from './database-pool.js';
import { generationTables } from './generation-tables.js';
import type { GenerationRecord } from './read-generation.js';

/** A document of a previous generation that an ingest may keep: its hash, its chunks' offsets and their vectors. */
export interface ReusableDocument {
  hash: string;
  chunks: { start: number; end: number; vector: Float32Array }[];
}

/**
 * The ids of every document of `previous`, and those whose text is unchanged (same hash as `hashes` gives), with their
 * chunks and vectors: an ingest keeps them instead of embedding those chunks again. Reads only what
 * every layout of a generation's tables has (documents' ids and hashes, chunks' offsets, vectors),
 * so a generation of schema version 1, which no reader serves any more, still spares its
 * unchanged documents the embedding calls when an ingest replaces it.
 */
export async function readReusableChunks(
  database: Database,
  previous: GenerationRecord,
  hashes: ReadonlyMap<string, string>,
): Promise<{ reusable: Map<string, ReusableDocument>; previousIds: string[] }> {
  const t = generationTables(previous.id);
  const documents = await database.query<{ doc_id: string; hash: string }>(`SELECT doc_id, hash FROM ${t.documents}`);
  const unchanged = documents.filter((row) => hashes.get(row.doc_id) === row.hash);
  const reusable = new Map<string, ReusableDocument>(unchanged.map((row) => [row.doc_id, { hash: row.hash, chunks: [] }]));
  for (let from = 0; from < unchanged.length; from += 500) {
    const ids = unchanged.slice(from, from + 500).map((row) => row.doc_id);
    const rows = await database.query<{ doc_id: string; start_offset: number; end_offset: number; embedding: string }>(
      `SELECT c.doc_id, c.start_offset, c.end_offset, v.embedding::text AS embedding
         FROM ${t.chunks} c JOIN ${t.vectors} v USING (position) WHERE c.doc_id = ANY($1::text[]) ORDER BY c.doc_id, c.ordinal`,
      [ids],
    );
    for (const row of rows) {
      reusable.get(row.doc_id)!.chunks.push({
        start: row.start_offset,
        end: row.end_offset,
        vector: Float32Array.from(row.embedding.slice(1, -1).split(',').map(Number)),
      });
    }
  }
  return { reusable, previousIds: documents.map((row) => row.doc_id) };
}

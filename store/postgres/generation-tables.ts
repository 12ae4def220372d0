import { SCHEMA } from './migrations.js';

/**
 * The oldest schema version whose generation tables this code reads. A generation records the
 * version that wrote it (generations.schema_version); one written before this layout (version 1
 * kept each document's text and blocks whole in its row) is refused with the ingest that rebuilds
 * it (read-generation.ts). A later migration that leaves generations' tables as they are leaves
 * this as it is.
 */
export const GENERATION_LAYOUT_VERSION = 2;

/** How a generation finds lexical candidates: a BM25 index (pg_textsearch) or full-text search (tsvector, GIN). */
export type LexicalSearchKind = 'bm25' | 'fts';

/**
 * The tables of one generation, named by its id: each generation has its own, so an ingest
 * writes a whole new one beside the one replicas read (no lock on what they read), statistics
 * and indexes (BM25's document counts and lengths, the HNSW graph) cover that generation alone,
 * and removing an old one is dropping its tables.
 */
export function generationTables(id: number) {
  const prefix = `${SCHEMA}.g${id}_`;
  return {
    /** position, doc_id, path, url, title, kind, pages, hash, characters, chunk_count, block_count */
    documents: `${prefix}documents`,
    /** document (position), piece, start_offset, text: each document's text in pieces (text-pieces.ts), read by range */
    texts: `${prefix}texts`,
    /** document (position), ordinal, start_offset, end_offset, block (jsonb: kind, headingPath, page, depth) */
    blocks: `${prefix}blocks`,
    /** position, doc_id, ordinal (n of `docId#n`), start_offset, end_offset, heading_field, and the blocks it carries (first, count, framing) */
    chunks: `${prefix}chunks`,
    /** position, embedding vector(n), under an HNSW index (cosine) */
    vectors: `${prefix}vectors`,
    /** position, each field's analysed terms and length, and the index lexical candidates are found with */
    lexical: `${prefix}lexical`,
    /** term, and in how many chunks each field holds it */
    terms: `${prefix}terms`,
    /** The pg_textsearch indexes of the two fields (bm25 generations). */
    textIndex: `g${id}_lexical_text_bm25`,
    headingIndex: `g${id}_lexical_heading_bm25`,
  };
}

/** The tables of a generation, before any row: keys only, so rows go in fast and indexes are built once at the end. */
export function createTablesSql(id: number, dimensions: number): string {
  const t = generationTables(id);
  return `
    CREATE TABLE ${t.documents} (
      position integer PRIMARY KEY, doc_id text NOT NULL, path text NOT NULL, url text, title text NOT NULL,
      kind text NOT NULL, pages integer, hash text NOT NULL, characters integer NOT NULL, chunk_count integer NOT NULL,
      block_count integer NOT NULL, etag text, last_modified text);
    CREATE TABLE ${t.texts} (
      document integer NOT NULL, piece integer NOT NULL, start_offset integer NOT NULL, text text NOT NULL,
      PRIMARY KEY (document, piece));
    CREATE TABLE ${t.blocks} (
      document integer NOT NULL, ordinal integer NOT NULL, start_offset integer NOT NULL, end_offset integer NOT NULL,
      block jsonb NOT NULL, PRIMARY KEY (document, ordinal));
    CREATE TABLE ${t.chunks} (
      position integer PRIMARY KEY, doc_id text NOT NULL, ordinal integer NOT NULL,
      start_offset integer NOT NULL, end_offset integer NOT NULL, heading_field text NOT NULL,
      block_first integer NOT NULL, block_count integer NOT NULL, framing integer[] NOT NULL);
    CREATE TABLE ${t.vectors} (position integer PRIMARY KEY, embedding vector(${dimensions}) NOT NULL);
    CREATE TABLE ${t.lexical} (
      position integer PRIMARY KEY, text_terms text NOT NULL, heading_terms text NOT NULL,
      text_length integer NOT NULL, heading_length integer NOT NULL, lexemes tsvector NOT NULL);
    CREATE TABLE ${t.terms} (term text PRIMARY KEY, text_df integer NOT NULL, heading_df integer NOT NULL);`;
}

/**
 * The indexes a generation is searched with, built once its rows are in: HNSW over the vectors
 * (pgvector's defaults, m 16 and ef_construction 64), and pg_textsearch's BM25 over each field's
 * analysed terms (k1 1.2 and b 0.7 as the local store's BM25; the `simple` configuration only
 * lower-cases, so the terms stay the engine's) or a GIN index over the lexemes.
 */
export function createIndexesSql(id: number, lexical: LexicalSearchKind): string {
  const t = generationTables(id);
  const lexicalIndexes =
    lexical === 'bm25'
      ? `CREATE INDEX ${t.textIndex} ON ${t.lexical} USING bm25 (text_terms) WITH (text_config = 'simple', k1 = 1.2, b = 0.7);
         CREATE INDEX ${t.headingIndex} ON ${t.lexical} USING bm25 (heading_terms) WITH (text_config = 'simple', k1 = 1.2, b = 0.7);`
      : `CREATE INDEX g${id}_lexical_gin ON ${t.lexical} USING gin (lexemes);`;
  return `
    CREATE UNIQUE INDEX g${id}_chunks_by_id ON ${t.chunks} (doc_id, ordinal);
    CREATE UNIQUE INDEX g${id}_documents_by_id ON ${t.documents} (doc_id);
    CREATE INDEX g${id}_blocks_by_end ON ${t.blocks} (document, end_offset);
    CREATE INDEX g${id}_vectors_hnsw ON ${t.vectors} USING hnsw (embedding vector_cosine_ops);
    ${lexicalIndexes}
    ANALYZE ${t.documents}; ANALYZE ${t.texts}; ANALYZE ${t.blocks}; ANALYZE ${t.chunks}; ANALYZE ${t.vectors}; ANALYZE ${t.lexical}; ANALYZE ${t.terms};`;
}

/** Drops every table of a generation (its indexes go with them). */
export function dropTablesSql(id: number): string {
  const t = generationTables(id);
  return `DROP TABLE IF EXISTS ${t.documents}, ${t.texts}, ${t.blocks}, ${t.chunks}, ${t.vectors}, ${t.lexical}, ${t.terms};`;
}

/** One step of the database schema; applied in order, each once, recorded in verbatim.schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The schema every table lives in, so Verbatim shares a database with others without clashing. */
export const SCHEMA = 'verbatim';

/**
 * The schema's history. Each generation of the index gets tables of its own, made by the ingest
 * that writes it (store/postgres/generation-tables.ts) in the layout of the schema version that
 * wrote it, recorded in its row (schema_version); the tables here are the ones every generation,
 * replica and ingest shares. A migration never edits an earlier one: a change is a new version,
 * with SQL that brings the shared tables to it. A generation whose tables SQL cannot bring to a
 * new layout keeps its version and is refused by readers until an ingest replaces it
 * (GENERATION_LAYOUT_VERSION in generation-tables.ts).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'collections, generations and what replicas share',
    sql: `
      CREATE EXTENSION IF NOT EXISTS vector;
      CREATE TABLE ${SCHEMA}.collections (
        name text PRIMARY KEY,
        current_generation bigint,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE ${SCHEMA}.generations (
        id bigserial PRIMARY KEY,
        collection text NOT NULL REFERENCES ${SCHEMA}.collections (name),
        name text NOT NULL UNIQUE,
        state text NOT NULL CHECK (state IN ('building', 'current', 'replaced')),
        schema_version integer NOT NULL,
        embedder_name text NOT NULL,
        dimensions integer NOT NULL,
        chunk_size integer NOT NULL,
        chunk_overlap integer NOT NULL,
        source text NOT NULL,
        lexical_search text NOT NULL CHECK (lexical_search IN ('bm25', 'fts')),
        document_count integer NOT NULL DEFAULT 0,
        chunk_count integer NOT NULL DEFAULT 0,
        text_average_length double precision NOT NULL DEFAULT 0,
        heading_average_length double precision NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        committed_at timestamptz,
        replaced_at timestamptz
      );
      ALTER TABLE ${SCHEMA}.collections
        ADD FOREIGN KEY (current_generation) REFERENCES ${SCHEMA}.generations (id);
      CREATE TABLE ${SCHEMA}.rate_limits (
        limiter text NOT NULL,
        client text NOT NULL,
        hits integer NOT NULL,
        reset_at timestamptz NOT NULL,
        PRIMARY KEY (limiter, client)
      );
      CREATE INDEX rate_limits_reset_at ON ${SCHEMA}.rate_limits (reset_at);
      CREATE TABLE ${SCHEMA}.slack_events (
        event_id text PRIMARY KEY,
        seen_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX slack_events_seen_at ON ${SCHEMA}.slack_events (seen_at);
      CREATE TABLE ${SCHEMA}.slack_replays (
        signature text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX slack_replays_expires_at ON ${SCHEMA}.slack_replays (expires_at);
      CREATE TABLE ${SCHEMA}.feedback (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        vote text NOT NULL,
        answer_id text NOT NULL,
        question text NOT NULL,
        answer text NOT NULL,
        user_id text NOT NULL,
        channel text NOT NULL
      );
    `,
  },
  {
    // Generations' tables are made by the ingest that writes them, not by migrations: from this
    // version on each document's text is in pieces and its blocks in rows (generation-tables.ts),
    // which SQL cannot derive from a version-1 generation (each chunk's blocks and framing are
    // computed by the engine). Nothing shared changes; a version-1 generation keeps its
    // schema_version, is refused by readers, and is replaced by the next ingest of its collection.
    version: 2,
    name: 'generation tables read by range (a generation of version 1 is rebuilt by the next ingest of its collection)',
    sql: `
      COMMENT ON COLUMN ${SCHEMA}.generations.schema_version IS
        'The schema version whose layout this generation''s tables have. Verbatim reads generations of version 2 and later; one of version 1 (each document''s text and blocks whole in its row) is rebuilt by npm run ingest of its collection.';
    `,
  },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

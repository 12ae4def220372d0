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
 * wrote it; the tables here are the ones every generation, replica and ingest shares. A
 * migration never edits an earlier one: a change is a new version, with SQL that brings every
 * existing table (generations' included) to it.
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
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

import type { Database } from './database-pool.js';
import { DatabaseSchemaError } from './database-schema-error.js';
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from './migrations.js';

/** Any fixed number: the advisory lock two `db:migrate` runs take, so only one applies migrations. */
const MIGRATION_LOCK = 7_402_311;

/** What a migration run did. */
export interface MigrationResult {
  applied: string[];
  version: number;
  /** Whether pg_textsearch (BM25 in the database) is installed, after trying to create it. */
  bm25: boolean;
}

/**
 * Brings the database to this code's schema: creates the schema and the migrations table, then
 * applies each migration not yet recorded, all in one transaction under an advisory lock (a
 * second run waits, then finds nothing to do). Refuses a database written by a newer Verbatim.
 * Creates pg_textsearch when the server offers it; its absence is not an error (full-text
 * search is used instead).
 */
export async function migrateDatabase(database: Database): Promise<MigrationResult> {
  const applied = await database.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA}.schema_migrations ORDER BY version`);
    const done = new Set(rows.map((row) => row.version));
    refuseNewer(Math.max(0, ...done));
    const names: string[] = [];
    for (const migration of MIGRATIONS.filter((m) => !done.has(m.version))) {
      try {
        await client.query(migration.sql);
      } catch (error) {
        throw new DatabaseSchemaError(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
      }
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      names.push(`${migration.version} ${migration.name}`);
    }
    return names;
  });
  return { applied, version: SCHEMA_VERSION, bm25: await installBm25(database) };
}

/** Creates pg_textsearch when the server has it (it must be in shared_preload_libraries on a real server). */
async function installBm25(database: Database): Promise<boolean> {
  const available = await database.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_textsearch'`);
  if (available.length === 0) return false;
  try {
    await database.query('CREATE EXTENSION IF NOT EXISTS pg_textsearch');
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses to serve a database this code cannot read: no Verbatim schema, one older than this
 * code (run the migrations), or one a newer Verbatim wrote (upgrade this one).
 */
export async function checkDatabaseSchema(database: Database): Promise<void> {
  const exists = await database.query<{ found: string | null }>(`SELECT to_regclass('${SCHEMA}.schema_migrations')::text AS found`);
  if (!exists[0]?.found) {
    throw new DatabaseSchemaError(`The database at ${database.address} holds no Verbatim schema yet: run npm run db:migrate first.`);
  }
  const rows = await database.query<{ version: number }>(`SELECT coalesce(max(version), 0) AS version FROM ${SCHEMA}.schema_migrations`);
  const version = Number(rows[0].version);
  refuseNewer(version);
  if (version < SCHEMA_VERSION) {
    throw new DatabaseSchemaError(
      `The database at ${database.address} has schema version ${version}; this Verbatim needs ${SCHEMA_VERSION}: run npm run db:migrate.`,
    );
  }
}

function refuseNewer(version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new DatabaseSchemaError(
      `The database has schema version ${version}, written by a newer Verbatim; this one knows versions up to ${SCHEMA_VERSION}. Upgrade Verbatim rather than serve a schema it does not know.`,
    );
  }
}

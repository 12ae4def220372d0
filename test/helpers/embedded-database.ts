import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded/start-embedded-database.js';
import { openDatabase, type Database } from '../../store/postgres/database-pool.js';
import { migrateDatabase } from '../../store/postgres/migrate-database.js';
import { ROOT } from '../paths.js';

/** A fresh database copied from one initialised once (the first test file to need it makes it). */
export const DATABASE_TEMPLATE = `${ROOT}.cache/pglite-template.tar`;

/** An embedded Postgres over the wire, migrated, with a pool on it. */
export interface TestDatabase {
  embedded: EmbeddedDatabase;
  database: Database;
  stop(): Promise<void>;
}

/** Starts an embedded database for one test file (about two seconds from the template) and migrates it. */
export async function startTestDatabase(): Promise<TestDatabase> {
  const embedded = await startEmbeddedDatabase({ templateFile: DATABASE_TEMPLATE });
  const database = openDatabase({ url: embedded.url, poolSize: 4, statementTimeoutMs: 30_000 });
  await migrateDatabase(database);
  return {
    embedded,
    database,
    async stop() {
      await database.close();
      await embedded.stop();
    },
  };
}

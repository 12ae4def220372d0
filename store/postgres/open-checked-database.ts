import { openDatabase, type Database, type DatabaseOptions } from './database-pool.js';
import { checkDatabaseSchema } from './migrate-database.js';

/**
 * A pool on the database with its schema checked: a process refuses to read a database it has no
 * migrations for, or one a newer Verbatim wrote (migrate-database.ts). The pool is closed again
 * when the check fails.
 */
export async function openCheckedDatabase(options: DatabaseOptions, onIdleError?: (message: string) => void): Promise<Database> {
  const database = openDatabase(options, onIdleError);
  try {
    await checkDatabaseSchema(database);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

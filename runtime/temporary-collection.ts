import type { Database } from '../store/postgres/database-pool.js';
import { removeCollection } from '../store/postgres/remove-collection.js';

/** A collection of the database for one run (an eval's `--docs`), and its removal afterwards. */
export interface TemporaryCollection {
  name: string;
  remove(): Promise<void>;
}

/** A new collection name no server lists as its own (`tmp-<pid>-<time>`), removed with every generation by `remove`. */
export function temporaryCollection(database: Database, purpose: string): TemporaryCollection {
  const name = `tmp-${purpose}-${process.pid}-${Date.now().toString(36)}`;
  return { name, remove: () => removeCollection(database, name) };
}

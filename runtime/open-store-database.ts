import { databaseSettings } from '../config/database-settings.js';
import type { Config } from '../config/load-config.js';
import type { Database } from '../store/postgres/database-pool.js';
import { openCheckedDatabase } from '../store/postgres/open-checked-database.js';

/**
 * The database a process reads its collections from with STORE=postgres (one pool for all of
 * them, its schema checked); undefined with the local store.
 */
export async function openStoreDatabase(
  config: Config,
  applicationName: string,
  onIdleError?: (message: string) => void,
): Promise<Database | undefined> {
  if (config.STORE !== 'postgres') return undefined;
  return openCheckedDatabase(databaseSettings(config, applicationName), onIdleError);
}

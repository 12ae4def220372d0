import type { Database } from './database-pool.js';
import { dropTablesSql } from './generation-tables.js';
import { SCHEMA } from './migrations.js';

/**
 * Removes a collection's generations no replica should still read: those replaced more than
 * `graceSeconds` ago, and those a killed ingest left `building` (never `keep`, the one just
 * written). Returns their names. One ingest runs at a time per collection, so a building
 * generation that is not `keep` is dead.
 */
export async function removeOldGenerations(database: Database, collection: string, graceSeconds: number, keep: number): Promise<string[]> {
  const old = await database.query<{ id: string; name: string }>(
    `SELECT id, name FROM ${SCHEMA}.generations
      WHERE collection = $1 AND id <> $2
        AND (state = 'building' OR (state = 'replaced' AND replaced_at < now() - make_interval(secs => $3)))`,
    [collection, keep, graceSeconds],
  );
  for (const { id } of old) {
    await database.transaction(async (client) => {
      await client.query(dropTablesSql(Number(id)));
      await client.query(`DELETE FROM ${SCHEMA}.generations WHERE id = $1`, [id]);
    });
  }
  return old.map((row) => row.name);
}

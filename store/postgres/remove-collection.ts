import type { Database } from './database-pool.js';
import { dropTablesSql } from './generation-tables.js';
import { SCHEMA } from './migrations.js';

/** Removes a collection and every generation of it (an eval's throw-away collection), in one transaction. */
export async function removeCollection(database: Database, collection: string): Promise<void> {
  await database.transaction(async (client) => {
    await client.query(`SELECT 1 FROM ${SCHEMA}.collections WHERE name = $1 FOR UPDATE`, [collection]);
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.generations WHERE collection = $1`, [collection]);
    for (const { id } of rows) await client.query(dropTablesSql(Number(id)));
    await client.query(`UPDATE ${SCHEMA}.collections SET current_generation = NULL WHERE name = $1`, [collection]);
    await client.query(`DELETE FROM ${SCHEMA}.generations WHERE collection = $1`, [collection]);
    await client.query(`DELETE FROM ${SCHEMA}.collections WHERE name = $1`, [collection]);
  });
}

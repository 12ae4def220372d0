import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../../test/helpers/embedded-database.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await startTestDatabase();
}, 120_000);
afterAll(async () => {
  await test?.stop();
});

describe('the embedded database over the wire', () => {
  it('gives each of several connections the rows of its own queries while others query and run transactions', async () => {
    const wrong: string[] = [];
    const read = async (worker: number) => {
      for (let n = 0; n < 150; n++) {
        const rows = await test.database.query<{ n: number; worker: string }>('SELECT $1::int AS n, $2::text AS worker', [n, `w${worker}`]);
        if (rows.length !== 1 || rows[0].n !== n || rows[0].worker !== `w${worker}`) wrong.push(JSON.stringify(rows));
      }
    };
    const write = async () => {
      await test.database.query('CREATE TABLE IF NOT EXISTS interleaving (n int)');
      for (let n = 0; n < 50; n++) {
        await test.database.transaction(async (client) => {
          await client.query('INSERT INTO interleaving VALUES ($1)', [n]);
          const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM interleaving');
          if (Number(rows[0].count) < 1) wrong.push('empty table inside its own transaction');
        });
      }
    };
    await Promise.all([read(1), read(2), read(3), write(), read(4)]);
    expect(wrong).toEqual([]);
    expect(test.database.pool.totalCount).toBeGreaterThan(1);
  });
});

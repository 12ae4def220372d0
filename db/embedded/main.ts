import { resolve } from 'node:path';
import { readEnvironment } from '../../config/read-environment.js';
import { EXIT, runCli } from '../../cli/run-cli.js';
import { UsageError } from '../../cli/usage-error.js';
import { loadConfig } from '../../config/load-config.js';
import { openDatabase } from '../../store/postgres/database-pool.js';
import { migrateDatabase } from '../../store/postgres/migrate-database.js';
import { startEmbeddedDatabase } from './start-embedded-database.js';

const USAGE = `usage: npm run db:embedded
  serves an embedded Postgres (PGlite with pgvector and pg_textsearch) on EMBEDDED_DATABASE_PORT, migrated,
  until Ctrl-C; its data is kept in EMBEDDED_DATABASE_DIR when set, else in memory. For trying STORE=postgres
  on one machine and for tests, not for production (docs/postgres.md).`;

async function main(): Promise<number> {
  if (process.argv.length > 2) throw new UsageError(`npm run db:embedded takes no arguments, got ${process.argv.slice(2).join(' ')}`);
  const config = loadConfig(readEnvironment());
  const dataDir = config.EMBEDDED_DATABASE_DIR ? resolve(config.EMBEDDED_DATABASE_DIR) : undefined;
  console.error(`Starting an embedded Postgres ${dataDir ? `with its data in ${dataDir}` : 'in memory'} ...`);
  const embedded = await startEmbeddedDatabase({
    port: config.EMBEDDED_DATABASE_PORT,
    dataDir,
    templateFile: dataDir ? undefined : resolve('.cache/pglite-template.tar'),
  });
  const database = openDatabase({ url: embedded.url, poolSize: 1, statementTimeoutMs: 600_000, applicationName: 'verbatim db:embedded' });
  await migrateDatabase(database);
  await database.close();
  console.log(`Embedded Postgres ready at ${embedded.url} (migrated). In another terminal:`);
  console.log(`  export STORE=postgres DATABASE_URL=${embedded.url}`);
  console.log('  npm run ingest -- corpus && npm start');
  await new Promise<void>((done) => {
    const stop = () => void embedded.stop().finally(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.error('Embedded Postgres stopped.');
  return EXIT.ok;
}

runCli({ name: 'db:embedded', usage: USAGE, main });

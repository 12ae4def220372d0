import { readEnvironment } from '../../config/read-environment.js';
import { EXIT, runCli } from '../../cli/run-cli.js';
import { UsageError } from '../../cli/usage-error.js';
import { loadConfig } from '../../config/load-config.js';
import { openDatabase } from '../../store/postgres/database-pool.js';
import { migrateDatabase } from '../../store/postgres/migrate-database.js';

const USAGE = `usage: npm run db:migrate
  brings the database at DATABASE_URL to this Verbatim's schema (docs/postgres.md); safe to run again
exit codes: 0 migrated (or already current), 2 the database cannot be reached or holds a newer schema`;

async function main(): Promise<number> {
  if (process.argv.length > 2) throw new UsageError(`npm run db:migrate takes no arguments, got ${process.argv.slice(2).join(' ')}`);
  const config = loadConfig(readEnvironment());
  if (!config.DATABASE_URL)
    throw new UsageError('set DATABASE_URL to the database to migrate (postgres://user:password@host:5432/verbatim)');
  const database = openDatabase({
    url: config.DATABASE_URL,
    poolSize: 1,
    statementTimeoutMs: Math.max(config.DATABASE_STATEMENT_TIMEOUT_MS, 600_000),
    applicationName: 'verbatim db:migrate',
  });
  try {
    const result = await migrateDatabase(database);
    const applied = result.applied.length > 0 ? `applied ${result.applied.join('; ')}` : 'nothing to apply';
    const lexical = result.bm25
      ? 'pg_textsearch is installed: lexical search uses its BM25 index'
      : 'pg_textsearch is not installed: lexical search uses full-text search (tsvector, GIN)';
    console.log(`Database ${database.address} is at schema version ${result.version} (${applied}); ${lexical}.`);
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

runCli({ name: 'db:migrate', usage: USAGE, main });

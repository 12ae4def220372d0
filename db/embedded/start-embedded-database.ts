import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_textsearch } from '@electric-sql/pglite-pg_textsearch';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepExtendedQueriesWhole } from './keep-extended-queries-whole.js';

/** An embedded Postgres served over the wire, as a real server would be. */
export interface EmbeddedDatabase {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stops serving, then closes the database (its data stays in `dataDir` when one was given). */
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /** Where the data lives between runs; unset: in memory. */
  dataDir?: string;
  /** Connections served at once (PGlite runs one session; the server multiplexes them, a transaction at a time). */
  maxConnections?: number;
  /**
   * A file caching a freshly initialised database: making one (initdb) takes seconds of
   * WebAssembly, loading a copy a fraction of that. Written on first use.
   */
  templateFile?: string;
}

/**
 * PGlite (Postgres compiled to WebAssembly) with pgvector and pg_textsearch, served over the
 * Postgres wire protocol by pglite-socket: the same `pg` code that talks to a real server talks
 * to it. For tests and for trying STORE=postgres on one machine (`npm run db:embedded`); not a
 * production database: it runs one session, so connections take turns, a transaction at a time.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  const extensions = { vector, pg_textsearch };
  let db: PGlite;
  if (options.dataDir) {
    db = await PGlite.create({ dataDir: options.dataDir, extensions });
  } else if (options.templateFile && existsSync(options.templateFile)) {
    const template = new Blob([readFileSync(options.templateFile)]);
    db = await PGlite.create({ loadDataDir: template, extensions });
  } else {
    db = await PGlite.create({ extensions });
    if (options.templateFile) await writeTemplate(db, options.templateFile);
  }
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host: '127.0.0.1', maxConnections: options.maxConnections ?? 32 });
  keepExtendedQueriesWhole(server);
  await server.start();
  const port = Number(server.getServerConn().split(':').at(-1));
  let stopped: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      // Idempotent: a test that stops the database to see replicas lose it still stops it once at the end.
      stopped ??= server.stop().then(() => db.close());
      return stopped;
    },
  };
}

/** Saves a copy of a fresh database (written aside, then renamed: concurrent test files never read half a file). */
async function writeTemplate(db: PGlite, file: string): Promise<void> {
  const dump = await db.dumpDataDir('none');
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
}

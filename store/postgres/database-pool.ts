import pg from 'pg';
import { asStoreError, databaseAddress } from './describe-database-error.js';

/** How to reach the database (the DATABASE_* settings). */
export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** Longest a query may run, and the longest wait for a connection. */
  statementTimeoutMs: number;
  /** Shown in pg_stat_activity, so an operator tells replicas from ingests. */
  applicationName?: string;
}

/** node-postgres's own wait for a maintenance statement: a day (0 would mean the pool's bound). */
const UNBOUNDED_MS = 86_400_000;

/** A pool and what messages may say of it. */
export interface Database {
  pool: pg.Pool;
  /** `host:port/database`: never the password. */
  address: string;
  /** Runs one query; a connection failure or timeout becomes StoreUnavailableError naming it. */
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection (rolled back if it throws). */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * Runs maintenance statements (an ingest building a generation's indexes, minutes at scale) in
   * one transaction without the statement timeout, which bounds what serving asks.
   */
  maintain(sql: string, settings?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * A node-postgres pool over DATABASE_URL (TLS through its sslmode, sslrootcert, sslcert and
 * sslkey parameters, which node-postgres reads). An idle connection that breaks (the database
 * restarts) is dropped and reported, never thrown: a replica that loses its database keeps
 * running, answers 503 meanwhile and /readyz says why.
 */
export function openDatabase(options: DatabaseOptions, onIdleError: (message: string) => void = () => {}): Database {
  const address = databaseAddress(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + 1_000,
    connectionTimeoutMillis: options.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'verbatim',
  });
  pool.on('error', (error) => onIdleError(`an idle connection to ${address} broke: ${error.message}`));
  const database: Database = {
    pool,
    address,
    async query<Row extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
      try {
        return (await pool.query<Row>(sql, params)).rows;
      } catch (error) {
        throw asStoreError(error, address);
      }
    },
    async transaction(work) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw asStoreError(error, address);
      }
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw asStoreError(error, address);
      } finally {
        client.release();
      }
    },
    async maintain(sql, settings = {}) {
      await database.transaction(async (client) => {
        await client.query('SET LOCAL statement_timeout = 0');
        for (const [name, value] of Object.entries(settings)) {
          await client.query(`SELECT set_config($1, $2, true)`, [name, value]).catch(() => undefined);
        }
        // node-postgres reads query_timeout per query too; its types leave it out.
        await client.query({ text: sql, query_timeout: UNBOUNDED_MS } as pg.QueryConfig);
      });
    },
    close: () => pool.end(),
  };
  return database;
}

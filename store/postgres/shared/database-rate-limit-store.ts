import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Database } from '../database-pool.js';
import { SCHEMA } from '../migrations.js';

interface CountRow {
  hits: number;
  reset_at: Date;
}

const info = (row: CountRow | undefined): ClientRateLimitInfo | undefined =>
  row && { totalHits: row.hits, resetTime: new Date(row.reset_at) };

/**
 * express-rate-limit's store for replicas (STORE=postgres): each client's count in a fixed window
 * is one row of the database, counted up in one statement, so every replica counts the same
 * requests and a client's limit is the same however many replicas its requests reach. The
 * database's clock starts and ends windows, not each replica's. Ended windows are deleted by
 * forgetExpiredState.
 */
export class DatabaseRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;

  /** `limiter` keeps the API's counts apart from Slack's. */
  constructor(
    private readonly database: Database,
    private readonly limiter: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.database.query<CountRow>(
      `SELECT hits, reset_at FROM ${SCHEMA}.rate_limits WHERE limiter = $1 AND client = $2 AND reset_at > now()`,
      [this.limiter, key],
    );
    return info(rows[0]);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    // One statement: the row lock makes two replicas' increments of one client take turns.
    const rows = await this.database.query<CountRow>(
      `INSERT INTO ${SCHEMA}.rate_limits AS r (limiter, client, hits, reset_at)
         VALUES ($1, $2, 1, now() + make_interval(secs => $3))
       ON CONFLICT (limiter, client) DO UPDATE SET
         hits = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.hits + 1 END,
         reset_at = CASE WHEN r.reset_at <= now() THEN EXCLUDED.reset_at ELSE r.reset_at END
       RETURNING hits, reset_at`,
      [this.limiter, key, this.windowMs / 1000],
    );
    return info(rows[0])!;
  }

  async decrement(key: string): Promise<void> {
    await this.database.query(
      `UPDATE ${SCHEMA}.rate_limits SET hits = greatest(hits - 1, 0) WHERE limiter = $1 AND client = $2 AND reset_at > now()`,
      [this.limiter, key],
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.database.query(`DELETE FROM ${SCHEMA}.rate_limits WHERE limiter = $1 AND client = $2`, [this.limiter, key]);
  }

  async resetAll(): Promise<void> {
    await this.database.query(`DELETE FROM ${SCHEMA}.rate_limits WHERE limiter = $1`, [this.limiter]);
  }
}

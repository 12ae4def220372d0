import type { Database } from '../database-pool.js';
import { SCHEMA } from '../migrations.js';

/** How long a signed Slack request's signature could be accepted, either side of its timestamp (slack/replay-guard.ts). */
const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/**
 * The Slack request signatures every replica has accepted (STORE=postgres), each kept while it
 * could still be accepted: a captured request replayed to another replica is answered once. The
 * database holds them, so there is no capacity to fill ('full' is never returned); expired ones
 * are deleted by forgetExpiredState.
 */
export class DatabaseReplayGuard {
  constructor(private readonly database: Database) {}

  /** Records a verified request; says whether any replica has seen it inside its window. */
  async check(signature: string, timestampSeconds: number): Promise<'first' | 'replayed'> {
    const rows = await this.database.query(
      `INSERT INTO ${SCHEMA}.slack_replays (signature, expires_at) VALUES ($1, to_timestamp($2))
       ON CONFLICT (signature) DO NOTHING RETURNING signature`,
      [signature, timestampSeconds + SIGNATURE_WINDOW_SECONDS],
    );
    return rows.length === 1 ? 'first' : 'replayed';
  }
}

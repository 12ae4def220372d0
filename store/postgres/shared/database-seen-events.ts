import type { Database } from '../database-pool.js';
import { SCHEMA } from '../migrations.js';

/**
 * The Slack event ids every replica has answered (STORE=postgres): Slack retries an event with the
 * same id, and delivers it to whichever replica the load balancer picks, so the first replica to
 * record an id answers it and every other delivery is dropped. Ids older than a day are deleted by
 * forgetExpiredState (Slack retries within minutes).
 */
export class DatabaseSeenEvents {
  constructor(private readonly database: Database) {}

  /** Records the id; says whether this is its first delivery to any replica. */
  async firstTime(eventId: string): Promise<boolean> {
    const rows = await this.database.query(
      `INSERT INTO ${SCHEMA}.slack_events (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [eventId],
    );
    return rows.length === 1;
  }
}

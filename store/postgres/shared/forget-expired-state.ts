import type { Database } from '../database-pool.js';
import { SCHEMA } from '../migrations.js';

/** How long a Slack event id is remembered: Slack retries within minutes. */
const EVENT_MEMORY = '1 day';

/**
 * Deletes what replicas no longer need to share: rate-limit windows that have ended, Slack
 * signatures past their window and event ids older than a day. Every replica runs it now and then;
 * running it twice at once does no harm.
 */
export async function forgetExpiredState(database: Database): Promise<void> {
  await database.query(`DELETE FROM ${SCHEMA}.rate_limits WHERE reset_at < now()`);
  await database.query(`DELETE FROM ${SCHEMA}.slack_replays WHERE expires_at < now()`);
  await database.query(`DELETE FROM ${SCHEMA}.slack_events WHERE seen_at < now() - interval '${EVENT_MEMORY}'`);
}

import type { Database } from '../store/postgres/database-pool.js';
import { DatabaseFeedbackStore } from '../store/postgres/shared/database-feedback-store.js';
import { DatabaseRateLimitStore } from '../store/postgres/shared/database-rate-limit-store.js';
import { DatabaseReplayGuard } from '../store/postgres/shared/database-replay-guard.js';
import { DatabaseSeenEvents } from '../store/postgres/shared/database-seen-events.js';
import { forgetExpiredState } from '../store/postgres/shared/forget-expired-state.js';
import type { WorkerState } from './cluster-state.js';

/** How often a replica deletes ended rate-limit windows and expired Slack memory. */
const FORGET_EVERY_MS = 60_000;

/**
 * What replicas must count and remember as one when STORE=postgres, in the database they share:
 * the API's and Slack's rate limits, the Slack requests and events already answered, and
 * feedback. N replicas (and each one's workers) then behave as one server. Also returns a stop
 * function for the periodic clean-up of what has expired.
 */
export function databaseState(database: Database, onError: (error: unknown) => void): { state: WorkerState; stop: () => void } {
  const timer = setInterval(() => void forgetExpiredState(database).catch(onError), FORGET_EVERY_MS);
  timer.unref();
  return {
    state: {
      rateLimitStore: new DatabaseRateLimitStore(database, 'api'),
      slack: {
        shared: { replayGuard: new DatabaseReplayGuard(database), rateLimitStore: new DatabaseRateLimitStore(database, 'slack') },
        seenEvents: new DatabaseSeenEvents(database),
        feedback: new DatabaseFeedbackStore(database),
      },
    },
    stop: () => clearInterval(timer),
  };
}

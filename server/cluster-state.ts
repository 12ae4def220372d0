import type { Store } from 'express-rate-limit';
import type { Config } from '../config/load-config.js';
import { primaryObject, type PrimaryObjects } from '../runtime/primary-objects.js';
import type { SlackOptions } from '../slack/create-slack.js';
import { ReplayGuard } from '../slack/replay-guard.js';
import { SeenEvents } from '../slack/seen-events.js';
import { BoundedRateLimitStore } from './bounded-rate-limit-store.js';
import { PrimaryRateLimitStore } from './primary-rate-limit-store.js';

const API_LIMIT = 'api-rate-limit';
const SLACK_LIMIT = 'slack-rate-limit';
const SLACK_REPLAYS = 'slack-replays';
const SLACK_EVENTS = 'slack-events';

/**
 * What several server workers must count and remember as one, made once in the cluster primary:
 * the API's and Slack's rate limits (else each worker would allow the full limit), and the Slack
 * requests and events already answered (else a retry reaching another worker is answered twice).
 */
export function primaryState(config: Config): PrimaryObjects {
  return {
    [API_LIMIT]: new BoundedRateLimitStore(config.RATE_LIMIT_MAX_CLIENTS),
    [SLACK_LIMIT]: new BoundedRateLimitStore(config.RATE_LIMIT_MAX_CLIENTS),
    [SLACK_REPLAYS]: new ReplayGuard(),
    [SLACK_EVENTS]: new SeenEvents(),
  };
}

/** What a server process shares with the others serving beside it: the primary's state (workers) or the database's (replicas). */
export interface WorkerState {
  rateLimitStore: Store;
  slack: Pick<SlackOptions, 'shared' | 'seenEvents'> & { feedback?: SlackOptions['feedback'] };
}

export function workerState(): WorkerState {
  return {
    rateLimitStore: new PrimaryRateLimitStore(API_LIMIT),
    slack: {
      shared: { replayGuard: primaryObject<ReplayGuard>(SLACK_REPLAYS), rateLimitStore: new PrimaryRateLimitStore(SLACK_LIMIT) },
      seenEvents: primaryObject<SeenEvents>(SLACK_EVENTS),
    },
  };
}

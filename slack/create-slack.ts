import { App, ExpressReceiver, SocketModeReceiver, webApi, type Receiver } from '@slack/bolt';
import { Router } from 'express';
import type { Logger } from 'pino';
import { boltLogger } from './bolt-logger.js';
import { connectSocketMode, type SocketModeConnection } from './connect-socket-mode.js';
import { createSlackRouter, SLACK_EVENTS_PATH, type SlackRouterOptions, type SlackStatus } from './create-slack-router.js';
import { registerSlackHandlers, type SlackHandlerOptions } from './register-slack-handlers.js';
import { describeSlackError, isRefusal, isTokenRejected } from './slack-token-error.js';

export interface SlackOptions extends Omit<SlackHandlerOptions, 'onSlackApiError' | 'logger'> {
  botToken: string;
  /** Serve the HTTP events endpoint, verifying requests with this secret. */
  signingSecret?: string;
  /** Connect over Socket Mode with this app-level token instead (no public URL needed). */
  appToken?: string;
  /** Slack Web API base URL; tests point it at a fake. */
  apiUrl?: string;
  /** Requests a minute per workspace on the HTTP endpoint; 0 turns limiting off. */
  rateLimitPerMinute: number;
  logger: Logger;
  /** Longest wait between retries when Slack cannot be reached. */
  maxRetryDelayMs?: number;
  /** The HTTP endpoint's replay memory and workspace counts, when shared by several server workers. */
  shared?: Pick<SlackRouterOptions, 'replayGuard' | 'rateLimitStore'>;
}

/** The Slack app as the server sees it: a router to mount (HTTP mode) and a life cycle. */
export interface Slack {
  readonly mode: 'http' | 'socket';
  /** POST /slack/events in HTTP mode; null in Socket Mode. */
  readonly router: Router | null;
  /** Checks the tokens and connects; a bad token turns Slack off with one clear log line. Never throws. */
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SlackStatus;
}

/**
 * Builds the Slack app for either transport around the same handlers. Nothing here can stop
 * the server: a wrong or revoked token, or Slack out of reach, is logged and affects Slack only,
 * while the chat page and API keep serving.
 */
export function createSlack(options: SlackOptions): Slack {
  const mode = options.appToken ? 'socket' : 'http';
  const log = options.logger;
  const slackApiUrl = options.apiUrl ? (options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`) : undefined;
  let status: SlackStatus = { state: 'starting' };
  let boltRoutes: Router | undefined;
  let stopped = false;
  let connection: SocketModeConnection | undefined;

  const turnOff = (reason: string) => {
    if (status.state === 'off') return;
    status = { state: 'off', reason };
    log.error(`Slack is turned off: ${reason}. The chat page and API keep serving; fix the setting and restart.`);
    void connection?.stop();
  };

  const router =
    mode === 'http' && options.signingSecret
      ? createSlackRouter({
          signingSecret: options.signingSecret,
          rateLimitPerMinute: options.rateLimitPerMinute,
          status: () => status,
          bolt: () => boltRoutes,
          logger: log,
          ...options.shared,
        })
      : null;

  /** auth.test, retried with backoff while Slack is out of reach; null once the token is refused or Slack stopped. */
  async function verifyBotToken(): Promise<{ botUserId: string; botId: string; name: string } | null> {
    const client = new webApi.WebClient(options.botToken, {
      slackApiUrl,
      retryConfig: { retries: 0 },
      timeout: 10_000,
      logger: boltLogger(log),
    });
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const result = await client.auth.test();
        if (!result.bot_id || !result.user_id) {
          turnOff('SLACK_BOT_TOKEN is not a bot token: use the Bot User OAuth Token (xoxb-…)');
          return null;
        }
        return {
          botUserId: result.user_id,
          botId: result.bot_id,
          name: `@${result.user ?? 'bot'} in ${result.team ?? result.team_id ?? 'the workspace'}`,
        };
      } catch (error) {
        if (isRefusal(error)) {
          turnOff(`SLACK_BOT_TOKEN was refused (${describeSlackError(error)})`);
          return null;
        }
        const delay = Math.min(options.maxRetryDelayMs ?? 300_000, 1000 * 2 ** attempt);
        log.warn(
          `Slack could not be reached to check SLACK_BOT_TOKEN (${describeSlackError(error)}); retrying in ${Math.round(delay / 1000)} s`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
    return null;
  }

  function createApp(identity: { botUserId: string; botId: string }, receiver: Receiver): App {
    const app = new App({
      token: options.botToken,
      // Given the bot's identity, Bolt makes no auth.test call of its own (whose rejection it
      // would leave unhandled, ending the process).
      botId: identity.botId,
      botUserId: identity.botUserId,
      receiver,
      logger: boltLogger(log),
      clientOptions: slackApiUrl ? { slackApiUrl } : undefined,
    });
    registerSlackHandlers(app, {
      ...options,
      logger: log,
      onSlackApiError: (error) => {
        if (isTokenRejected(error))
          turnOff(`Slack refused SLACK_BOT_TOKEN while answering (${describeSlackError(error)}); it may have been revoked`);
      },
    });
    return app;
  }

  async function start(): Promise<void> {
    if (!options.botToken.startsWith('xoxb-')) return turnOff('SLACK_BOT_TOKEN must be the Bot User OAuth Token (it starts with xoxb-)');
    if (mode === 'socket' && !options.appToken!.startsWith('xapp-')) {
      return turnOff('SLACK_APP_TOKEN must be an app-level token (it starts with xapp-) with the connections:write scope');
    }
    const identity = await verifyBotToken();
    if (!identity || stopped) return;
    if (mode === 'http') {
      boltRoutes = Router();
      createApp(
        identity,
        new ExpressReceiver({
          signingSecret: options.signingSecret!,
          router: boltRoutes,
          endpoints: SLACK_EVENTS_PATH,
          logger: boltLogger(log),
        }),
      );
      status = { state: 'ready' };
      log.info(`Slack app ready at POST ${SLACK_EVENTS_PATH}, as ${identity.name}`);
      return;
    }
    const receiver = new SocketModeReceiver({
      appToken: options.appToken!,
      logger: boltLogger(log),
      autoReconnectEnabled: false,
      installerOptions: { clientOptions: { slackApiUrl, retryConfig: { retries: 0 } } },
    });
    createApp(identity, receiver);
    connection = connectSocketMode(receiver, {
      logger: log,
      maxDelayMs: options.maxRetryDelayMs,
      onRejected: (error) => turnOff(`SLACK_APP_TOKEN was refused (${describeSlackError(error)})`),
    });
    await connection.firstConnection;
    if (status.state === 'starting') {
      status = { state: 'ready' };
      log.info(`Slack app ready over Socket Mode, as ${identity.name}`);
    }
  }

  return {
    mode,
    router,
    start: () => start().catch((error) => turnOff(`it could not start (${describeSlackError(error)})`)),
    async stop() {
      stopped = true;
      await connection?.stop();
    },
    status: () => status,
  };
}

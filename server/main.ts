import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { readEnvironment } from '../config/read-environment.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig, type Config } from '../config/load-config.js';
import type { Engine } from '../core/engine.js';
import { EngineHolder } from '../runtime/engine-holder.js';
import { openEngine, type OpenedEngine } from '../runtime/open-engine.js';
import { serveWorkers, workersReadiness } from '../runtime/serve-workers.js';
import { watchIndex } from '../runtime/watch-index.js';
import { allowedHostsFor } from './allowed-hosts.js';
import { primaryState, workerState, type WorkerState } from './cluster-state.js';
import { createApp } from './create-app.js';
import { terminalLog } from './terminal-log.js';

/** Reads the settings, then serves on WORKERS processes (runtime/serve-workers.ts). */
function main(): void {
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    console.error(ConfigError.isInstance(error) ? error.message : error);
    process.exit(1);
  }
  void serveWorkers({
    workers: config.WORKERS,
    maxRestartsPerMinute: config.WORKER_MAX_RESTARTS,
    primaryObjects: () => primaryState(config),
    // Under the cluster, limits and Slack's memory are the primary's, one for every worker.
    serve: ({ alone }) => serve(config, alone, cluster.isWorker ? workerState() : undefined),
  });
}

/**
 * Serves the chat page and API; answers start when the index is loaded (built first if missing).
 * `alone` (no other worker serves the port): listens at once, answering 503 index_loading until
 * loaded; beside serving workers, listens once loaded, so no client waits on this one.
 */
async function serve(config: Config, alone: boolean, shared: WorkerState | undefined): Promise<void> {
  // A person at a terminal reads one short line per request; a log collector gets JSON.
  const shortLogs = config.LOG_FORMAT === 'short' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
  const logger = shortLogs ? pino({ level: config.LOG_LEVEL }, terminalLog(process.stdout)) : pino({ level: config.LOG_LEVEL });
  const engine = new EngineHolder();
  // Slack's libraries load only when the Slack app is on (~35 MB of memory otherwise spent).
  const slack = config.SLACK_BOT_TOKEN ? await startSlack(config, logger, shared?.slack, engine) : null;
  const app = createApp({
    extraRouters: slack?.router ? [slack.router] : [],
    engine,
    ready: () => engine.ready,
    workers: workersReadiness,
    limits: { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    apiKeys: config.API_KEYS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    rateLimitMaxClients: config.RATE_LIMIT_MAX_CLIENTS,
    rateLimitStore: shared?.rateLimitStore,
    trustProxy: trustedProxies(config.TRUST_PROXY),
    sourceMaxChars: config.SOURCE_MAX_CHARS,
    corsOrigins: config.CORS_ORIGINS,
    allowedHosts: allowedHostsFor(config.HOST, config.ALLOWED_HOSTS),
    bodyLimit: config.BODY_LIMIT,
    logger,
  });
  const server = createServer(app);
  server.on('error', (error) => {
    console.error(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
    process.exit(1);
  });
  const listen = () => new Promise<void>((listening) => server.listen(config.PORT, config.HOST, listening));
  if (alone) {
    await listen();
    say(`Verbatim is starting on port ${(server.address() as AddressInfo).port}: loading the index...`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    // A worker may hear the signal twice: from the terminal's process group and from the primary.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void slack?.stop();
    server.close(() => {
      say(`Verbatim stopped cleanly (${signal}).`);
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  let fellBackFrom: string | undefined;
  let opened: OpenedEngine;
  try {
    opened = await openEngine(config, resolve(config.INDEX_DIR), {
      ingestIfMissing: resolve(config.CORPUS_DIR),
      onFallBack: (generation) => (fellBackFrom = generation),
      // An index must come from CORPUS_DIR when it is set; with REINGEST=auto it follows CORPUS_DIR, default or not.
      requireSameSource: config.corpusDirSet || config.REINGEST === 'auto',
      rebuildStale: config.REINGEST === 'auto',
    });
  } catch (error) {
    console.error(`Cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  engine.set(opened);
  if (!alone) await listen();
  const url = pageUrl(config.HOST, (server.address() as AddressInfo).port);
  say(`Ready: ${await describeStore(opened)} (index generation ${opened.generation}); ${opened.defaultMode} answers. Open ${url}`);
  if (config.INDEX_RELOAD_SECONDS > 0 && opened.generation) {
    const indexDir = resolve(config.INDEX_DIR);
    watchIndex({
      indexDir,
      intervalMs: config.INDEX_RELOAD_SECONDS * 1000,
      current: opened.generation,
      failed: fellBackFrom, // reported at start; not read again
      load: (generation) => opened.reload(generation),
      onReload: (reloaded, generation) => {
        opened = reloaded;
        engine.set(reloaded);
        void describeStore(reloaded).then((described) => say(`Loaded index generation ${generation}: ${described}.`));
      },
      onError: (error, generation) =>
        logger.error({ err: error, generation }, 'the new index cannot be loaded; still serving the previous one (reported once)'),
    });
  }
}

/**
 * A line for the person who started the server, printed by one process: the server itself, or
 * the first of several workers (the others would repeat it word for word). Errors are printed by
 * whichever process has them.
 */
function say(line: string): void {
  if (!cluster.isWorker || cluster.worker?.id === 1) console.log(line);
}

/** TRUST_PROXY as Express takes it: a hop count, or a list of proxy addresses and ranges. */
function trustedProxies(setting: string | undefined): number | string[] | undefined {
  if (!setting || setting.toLowerCase() === 'false') return undefined;
  return /^\d+$/.test(setting) ? Number(setting) : setting.split(',').map((item) => item.trim());
}

/** The one address printed at start: localhost for a loopback or all-interfaces host. */
function pageUrl(host: string, port: number): string {
  const local = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(host);
  return `http://${local ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** "N documents, M chunks", for the start-up and reload lines. */
async function describeStore(engine: Engine): Promise<string> {
  const { documents, chunks } = await engine.size();
  return `${documents} documents, ${chunks} chunks`;
}

/** Creates the Slack app (HTTP endpoint or Socket Mode) and starts it in the background: a bad token turns Slack off, never the server. */
async function startSlack(config: Config, logger: Logger, shared: WorkerState['slack'] | undefined, engine: Engine) {
  const [{ createSlack }, { FeedbackStore }] = await Promise.all([
    import('../slack/create-slack.js'),
    import('../slack/feedback-store.js'),
  ]);
  const slack = createSlack({
    botToken: config.SLACK_BOT_TOKEN!,
    signingSecret: config.SLACK_SIGNING_SECRET,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    commandVisibility: config.SLACK_COMMAND_VISIBILITY,
    rateLimitPerMinute: config.SLACK_RATE_LIMIT_PER_MINUTE,
    feedback: new FeedbackStore(resolve(config.FEEDBACK_FILE)),
    limits: { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    logger,
    engine,
    ...shared,
  });
  void slack.start();
  return slack;
}

main();

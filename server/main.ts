import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { checkCollectionReferences } from '../config/check-collection-references.js';
import type { CollectionSpec } from '../config/collection-spec.js';
import { readEnvironment } from '../config/read-environment.js';
import { ConfigError } from '../config/config-error.js';
import { loadCollectionsFile, type CollectionsFile } from '../config/load-collections-file.js';
import { loadConfig, type Config } from '../config/load-config.js';
import type { Engine } from '../core/engine.js';
import { EngineRegistry } from '../runtime/engine-registry.js';
import { listCollections } from '../runtime/list-collections.js';
import { openCollections } from '../runtime/open-collections.js';
import { serveWorkers, workersReadiness } from '../runtime/serve-workers.js';
import { openStoreDatabase } from '../runtime/open-store-database.js';
import { SharedParts } from '../runtime/shared-parts.js';
import type { Database } from '../store/postgres/database-pool.js';
import { allowedHostsFor } from './allowed-hosts.js';
import { primaryState, workerState, type WorkerState } from './cluster-state.js';
import { createApp } from './create-app.js';
import { databaseState } from './database-state.js';
import { createServerMetrics } from './metrics/server-metrics.js';
import { metricsRoute } from './routes/metrics-route.js';
import { pickSlackEngine } from './pick-slack-engine.js';
import { terminalLog } from './terminal-log.js';

/** What the settings say to serve: the settings, the collections file, and each collection. */
interface Settings {
  config: Config;
  file: CollectionsFile | undefined;
  specs: CollectionSpec[];
}

/** Reads the settings and the collections, then serves on WORKERS processes (runtime/serve-workers.ts). */
async function main(): Promise<void> {
  let settings: Settings;
  try {
    const config = loadConfig(readEnvironment());
    const file = config.COLLECTIONS_FILE ? loadCollectionsFile(config.COLLECTIONS_FILE) : undefined;
    // With STORE=postgres the collections ingested are those the database holds; this pool only lists them.
    const database = await openStoreDatabase(config, 'verbatim server (start)');
    const specs = await listCollections(config, file, database).finally(() => database?.close());
    checkCollectionReferences(
      specs.map((spec) => spec.name),
      config,
      file,
    );
    settings = { config, file, specs };
  } catch (error) {
    console.error(isTypedError(error) ? error.message : error);
    process.exit(1);
  }
  const { config } = settings;
  const local = config.STORE === 'local';
  void serveWorkers({
    workers: config.WORKERS,
    maxRestartsPerMinute: config.WORKER_MAX_RESTARTS,
    // With STORE=postgres what workers share is in the database, as it is for replicas.
    primaryObjects: local ? () => primaryState(config) : undefined,
    // Under the cluster, limits and Slack's memory are the primary's, one for every worker.
    serve: ({ alone }) => serve(settings, alone, cluster.isWorker && local ? workerState() : undefined),
  });
}

/** One of our errors with a fixed name and a code (ConfigError, DatabaseSchemaError, StoreUnavailableError): its message says what to fix. */
function isTypedError(error: unknown): error is Error {
  return (
    ConfigError.isInstance(error) ||
    (error instanceof Error && error.name !== 'Error' && typeof (error as { code?: unknown }).code === 'string')
  );
}

/**
 * Serves the chat page and API; each collection answers once its index is loaded (built first if
 * missing). `alone` (no other worker serves the port): listens at once, answering 503
 * index_loading until loaded; beside serving workers, listens once loaded, so no client waits on
 * this one.
 */
async function serve({ config, file, specs }: Settings, alone: boolean, shared: WorkerState | undefined): Promise<void> {
  // A person at a terminal reads one short line per request; a log collector gets JSON.
  const shortLogs = config.LOG_FORMAT === 'short' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
  const logger = shortLogs ? pino({ level: config.LOG_LEVEL }, terminalLog(process.stdout)) : pino({ level: config.LOG_LEVEL });
  let database: Database | undefined;
  try {
    database = await openStoreDatabase(config, 'verbatim server', (message) => logger.warn(message));
  } catch (error) {
    console.error(`Cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // With STORE=postgres, replicas (and workers) share limits, Slack's memory and feedback through the database.
  const inDatabase = database && databaseState(database, (error) => logger.warn({ err: error }, 'could not delete expired shared state'));
  const state = inDatabase?.state ?? shared;
  let draining = false;
  // Read when scraped: `collections` is made just below.
  const metrics = createServerMetrics({ collections: () => collections.states(), pool: database && poolUse(database, config) });
  const collections = new EngineRegistry(
    specs.map((spec) => spec.name),
    (name, answer) => metrics.countAnswer(name, answer),
  );
  const several = specs.length > 1;
  // Slack's libraries load only when the Slack app is on (~35 MB of memory otherwise spent).
  const slack = config.SLACK_BOT_TOKEN ? await startSlack(config, logger, state?.slack, pickSlackEngine(collections, file?.slack)) : null;
  const app = createApp({
    extraRouters: slack?.router ? [slack.router] : [],
    collections,
    workers: workersReadiness,
    limits: { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    apiKeys: config.API_KEYS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    rateLimitMaxClients: config.RATE_LIMIT_MAX_CLIENTS,
    rateLimitStore: state?.rateLimitStore,
    trustProxy: trustedProxies(config.TRUST_PROXY),
    sourceMaxChars: config.SOURCE_MAX_CHARS,
    corsOrigins: config.CORS_ORIGINS,
    allowedHosts: allowedHostsFor(config.HOST, config.ALLOWED_HOSTS),
    bodyLimit: config.BODY_LIMIT,
    logger,
    health: { checkStore: database && (() => checkDatabase(database)), draining: () => draining },
    metrics: { router: metricsRoute(metrics.registry, config.METRICS_TOKEN), measure: metrics.measure },
  });
  const server = createServer(app);
  server.on('error', (error) => {
    console.error(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
    process.exit(1);
  });
  const listen = () => new Promise<void>((listening) => server.listen(config.PORT, config.HOST, listening));
  if (alone) {
    await listen();
    const loading = several ? `loading ${specs.length} collections` : 'loading the index';
    say(`Verbatim is starting on port ${(server.address() as AddressInfo).port}: ${loading}...`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    // A worker may hear the signal twice: from the terminal's process group and from the primary.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Draining: /readyz says so while requests are still served, so a load balancer stops sending first.
    draining = true;
    setTimeout(() => {
      void slack?.stop();
      inDatabase?.stop();
      server.close(() => {
        void (database?.close() ?? Promise.resolve())
          .catch(() => undefined)
          .finally(() => {
            say(`Verbatim stopped cleanly (${signal}).`);
            process.exit(0);
          });
      });
      server.closeIdleConnections();
      setTimeout(() => process.exit(0), config.SHUTDOWN_TIMEOUT_SECONDS * 1000).unref();
    }, config.SHUTDOWN_DRAIN_SECONDS * 1000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const { outcomes } = await openCollections({
    registry: collections,
    specs,
    shared: new SharedParts(),
    database,
    onQuery: (operation, seconds) => metrics.observeStoreQuery(operation, seconds),
    reloadSeconds: config.INDEX_RELOAD_SECONDS,
    log: (line) => console.error(line),
    onLoaded: async (name, engine, reloaded) => {
      const about = several ? ` of collection ${name}` : '';
      if (reloaded) say(`Loaded index generation ${engine.generation}${about}: ${await describeStore(engine)}.`);
      else if (several) say(`Collection ${name}: ${await describeStore(engine)} (index generation ${engine.generation}).`);
    },
    onError: (name, error, generation, serving) => {
      const message = error instanceof Error ? error.message : String(error);
      if (serving) {
        logger.error(
          { err: error, generation, collection: name },
          'the new index cannot be loaded; still serving the previous one (reported once)',
        );
      } else if (!several) {
        // One collection, as before collections: a server that cannot serve it does not start.
        console.error(`Cannot start: ${message}`);
        process.exit(1);
      } else {
        console.error(
          `The collection ${name} cannot be served: ${message} It is refused by name while the other collections answer, ` +
            'until an ingest commits a generation of it that loads.',
        );
      }
    },
  });
  const served = outcomes.filter((outcome) => 'engine' in outcome);
  if (served.length === 0) {
    console.error('Cannot start: no collection could be loaded.');
    process.exit(1);
  }
  if (!alone) await listen();
  const url = pageUrl(config.HOST, (server.address() as AddressInfo).port);
  const mode = collections.resolve(served[0].name).defaultMode;
  if (!several) {
    const opened = collections.resolve(served[0].name);
    say(`Ready: ${await describeStore(opened)} (index generation ${opened.generation}); ${mode} answers. Open ${url}`);
  } else {
    const unavailable = outcomes.filter((outcome) => 'error' in outcome).map((outcome) => outcome.name);
    const problems = unavailable.length > 0 ? `, ${unavailable.length} unavailable (${unavailable.join(', ')})` : '';
    say(`Ready: ${specs.length} collections${problems}; ${mode} answers. Open ${url}`);
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

/** The database answers a query within two seconds (a readiness probe must not wait for the pool's own timeouts). */
async function checkDatabase(database: Database): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`The database at ${database.address} did not answer within 2 s.`)), 2000);
  });
  try {
    await Promise.race([database.query('SELECT 1'), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The pool's connections, as /metrics reports them. */
function poolUse(database: Database, config: Config) {
  return () => ({
    total: database.pool.totalCount,
    idle: database.pool.idleCount,
    waiting: database.pool.waitingCount,
    max: config.DATABASE_POOL_SIZE,
  });
}

/** "N documents, M chunks", for the start-up and reload lines. */
async function describeStore(engine: Engine): Promise<string> {
  const { documents, chunks } = await engine.size();
  return `${documents} documents, ${chunks} chunks`;
}

/** Creates the Slack app (HTTP endpoint or Socket Mode) and starts it in the background: a bad token turns Slack off, never the server. */
async function startSlack(
  config: Config,
  logger: Logger,
  shared: WorkerState['slack'] | undefined,
  pickEngine: (place: { channel: string; named?: string }) => Engine,
) {
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
    feedback: shared?.feedback ?? new FeedbackStore(resolve(config.FEEDBACK_FILE)),
    limits: { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    logger,
    pickEngine,
    ...shared,
  });
  void slack.start();
  return slack;
}

void main();

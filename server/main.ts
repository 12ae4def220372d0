import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { readEnvironment } from '../config/read-environment.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig, type Config } from '../config/load-config.js';
import type { AnswerDependencies } from '../core/answer-question.js';
import { answerQuestion, collectAnswer } from '../core/answer-question.js';
import { openEngine, reloadEngine } from '../runtime/open-engine.js';
import { watchIndex } from '../runtime/watch-index.js';
import { createApp } from './create-app.js';

/** Serves the chat page and API at once; answers start when the index is loaded (built first if missing). */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    console.error(ConfigError.isInstance(error) ? error.message : error);
    process.exit(1);
  }
  const logger = pino({ level: config.LOG_LEVEL });
  let engine: AnswerDependencies | null = null;
  // Slack's libraries load only when the Slack app is on (~35 MB of memory otherwise spent).
  const slackModules =
    config.SLACK_SIGNING_SECRET && config.SLACK_BOT_TOKEN
      ? await Promise.all([import('../slack/create-slack-router.js'), import('../slack/feedback-store.js')])
      : null;
  const slack =
    slackModules && config.SLACK_SIGNING_SECRET && config.SLACK_BOT_TOKEN
      ? slackModules[0].createSlackRouter({
          signingSecret: config.SLACK_SIGNING_SECRET,
          botToken: config.SLACK_BOT_TOKEN,
          apiUrl: config.SLACK_API_URL,
          feedback: new slackModules[1].FeedbackStore(resolve(config.FEEDBACK_FILE)),
          maxHistoryTurns: config.MAX_HISTORY_TURNS,
          logger,
          answer: async (question, history) => {
            if (!engine) throw new Error('the index is still loading; try again in a minute');
            return collectAnswer(answerQuestion(engine, { question, history }));
          },
        })
      : null;
  const app = createApp({
    extraRouters: slack ? [slack] : [],
    engine: () => engine,
    limits: { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    apiKeys: config.API_KEYS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    rateLimitMaxClients: config.RATE_LIMIT_MAX_CLIENTS,
    trustProxy: trustedProxies(config.TRUST_PROXY),
    sourceMaxChars: config.SOURCE_MAX_CHARS,
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    logger,
  });
  const server = app.listen(config.PORT, config.HOST, () => {
    const { port } = server.address() as AddressInfo;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
    console.log(`Verbatim is listening on http://${host}:${port} (loading the index...)`);
    if (slack) console.log(`Slack app enabled at http://${host}:${port}/slack/events`);
  });
  server.on('error', (error) => {
    console.error(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`);
    process.exit(1);
  });

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      console.log(`Verbatim stopped cleanly (${signal}).`);
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  let fellBackFrom: string | undefined;
  try {
    engine = await openEngine(config, resolve(config.INDEX_DIR), {
      ingestIfMissing: resolve(config.CORPUS_DIR),
      onFallBack: (generation) => (fellBackFrom = generation),
    });
  } catch (error) {
    console.error(`Cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  const { port } = server.address() as AddressInfo;
  console.log(
    `Ready: ${await describeStore(engine)} (index generation ${engine.generation}); ${engine.defaultMode} answers. Open http://localhost:${port}`,
  );
  if (config.INDEX_RELOAD_SECONDS > 0 && engine.generation) {
    const indexDir = resolve(config.INDEX_DIR);
    watchIndex({
      indexDir,
      intervalMs: config.INDEX_RELOAD_SECONDS * 1000,
      current: engine.generation,
      failed: fellBackFrom, // reported at start; not read again
      load: (generation) => reloadEngine(engine!, indexDir, generation),
      onReload: (reloaded, generation) => {
        engine = reloaded;
        void describeStore(reloaded).then((described) => console.log(`Loaded index generation ${generation}: ${described}.`));
      },
      onError: (error, generation) =>
        logger.error({ err: error, generation }, 'the new index cannot be loaded; still serving the previous one (reported once)'),
    });
  }
}

/** TRUST_PROXY as Express takes it: a hop count, or a list of proxy addresses and ranges. */
function trustedProxies(setting: string | undefined): number | string[] | undefined {
  if (!setting || setting.toLowerCase() === 'false') return undefined;
  return /^\d+$/.test(setting) ? Number(setting) : setting.split(',').map((item) => item.trim());
}

/** "N documents, M chunks", for the start-up and reload lines. */
async function describeStore(engine: AnswerDependencies): Promise<string> {
  const [documents, { chunkCount }] = await Promise.all([engine.store.listDocuments(), engine.store.getTermCounts([])]);
  return `${documents.length} documents, ${chunkCount} chunks`;
}

void main();

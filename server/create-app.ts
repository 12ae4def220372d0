import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Store } from 'express-rate-limit';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { ApiKey } from '../config/load-config.js';
import type { Engine } from '../core/engine.js';
import { EngineRegistry } from '../runtime/engine-registry.js';
import type { WorkersReadiness } from '../runtime/serve-workers.js';
import type { RequestLimits } from './answer-request.js';
import { errorHandler, failureCodeOf, notFound } from './error-handler.js';
import { clientOf, guardApi } from './guard-api.js';
import { guardLocalHost } from './guard-local-host.js';
import { openAIErrorHandler } from './openai-error-handler.js';
import { redactRequestLog } from './redact-request-log.js';
import { answerRoute } from './routes/answer-route.js';
import { chatCompletionsRoute } from './routes/chat-completions-route.js';
import { collectionsRoute } from './routes/collections-route.js';
import { healthRoute, type HealthOptions } from './routes/health-route.js';
import { pageModulesRoute } from './routes/page-modules-route.js';
import { mcpRoute } from './routes/mcp-route.js';
import { modelsRoute } from './routes/models-route.js';
import { sourcesRoute } from './routes/sources-route.js';

export interface AppDependencies {
  /** The engines by collection (runtime/engine-registry.ts); each throws IndexLoadingError (503 index_loading) until loaded. */
  collections?: EngineRegistry;
  /** Or one engine, served as the collection `default`. */
  engine?: Engine;
  /** Whether that one engine's index is loaded, for /readyz (default: always). */
  ready?: () => boolean;
  /** Under several workers, how many of them are serving (runtime/serve-workers.ts): /readyz waits for all. */
  workers?: () => WorkersReadiness | undefined;
  limits: RequestLimits;
  /** When non-empty, /v1/* and /mcp need one of these as a bearer token; a key with `collections` reads only those. */
  apiKeys?: (string | ApiKey)[];
  /** Requests per minute per API key (or, unauthenticated, per address); 0 turns limiting off. */
  rateLimitPerMinute?: number;
  /** Most clients the rate limiter remembers at once (default 10,000). */
  rateLimitMaxClients?: number;
  /** The rate limiter's store: by default a bounded one in this process; a shared one (e.g. rate-limit-redis) for replicas. */
  rateLimitStore?: Store;
  /** Express's `trust proxy`: which proxies' X-Forwarded-For gives the client address. Default: none. */
  trustProxy?: number | string[];
  /** Longest text one GET /v1/sources/:docId response carries (default 200,000 characters). */
  sourceMaxChars?: number;
  /** Origins allowed by CORS; empty means no CORS headers. */
  corsOrigins?: string[];
  /**
   * Host names (no port) every route answers to; a request naming another, or sent by a page of
   * another origin than this server's or CORS_ORIGINS, gets 403 (server/allowed-hosts.ts says
   * which names: loopback's own and ALLOWED_HOSTS). Unset: no check.
   */
  allowedHosts?: string[] | null;
  bodyLimit?: string;
  logger?: Logger;
  /** Extra routers mounted before the API (the Slack endpoint), with their own body parsing. */
  extraRouters?: Router[];
  /** /readyz: whether the store answers (STORE=postgres) and whether the process is draining. */
  health?: HealthOptions;
  /** Mounted first, before logging and the API: /metrics, and the middleware that measures every request. */
  metrics?: { router: Router; measure: RequestHandler };
}

/** The paths of the API: authentication and rate limits cover each of them and all below. */
export const API_PATHS = ['/v1', '/mcp'];

const PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));
/** Routes whose errors take OpenAI's shape. */
const OPENAI_PATHS = ['/v1/chat/completions', '/v1/models'];

/** The Express app: chat page, answer API, OpenAI-compatible API, MCP, sources, health. Wiring of real parts is main.ts's job. */
export function createApp(deps: AppDependencies): Express {
  if (!deps.collections && !deps.engine) throw new Error('createApp needs collections or an engine');
  const collections = deps.collections ?? EngineRegistry.single(deps.engine!, deps.ready);
  const app = express();
  app.disable('x-powered-by');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  const logger = deps.logger ?? pino({ level: 'silent' });
  if (deps.metrics) {
    app.use(deps.metrics.measure);
    app.use(deps.metrics.router);
  }
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const id = (request.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      serializers: { req: redactRequestLog },
      customProps: (_request, response) => ({ client: clientOf(response) }),
      // A failure nobody foresaw is logged with its stack where it is mapped (recordFailure); the
      // request's own line gives its status only: a warning for an expected 5xx (index_loading,
      // /readyz while loading), never pino-http's made-up "failed with status code" stack.
      customLogLevel: (_request, response) => {
        if (failureCodeOf(response) === 'internal_error') return 'error';
        return response.statusCode >= 500 ? 'warn' : 'info';
      },
      customErrorObject: (_request, _response, _error, value: Record<string, unknown>) => {
        const { err: _err, ...rest } = value;
        return rest;
      },
    }),
  );
  if (deps.allowedHosts) app.use(guardLocalHost(deps.allowedHosts, deps.corsOrigins ?? []));
  app.use(helmet());
  const draining = deps.health?.draining;
  if (draining) {
    // A draining process closes each connection after its response, so clients reconnect to another replica.
    app.use((_request, response, next) => {
      if (draining()) response.set('Connection', 'close');
      next();
    });
  }
  if (deps.corsOrigins && deps.corsOrigins.length > 0) app.use(API_PATHS, cors({ origin: deps.corsOrigins }));

  app.use(healthRoute(collections, { ...deps.health, workers: deps.workers }));
  for (const router of deps.extraRouters ?? []) app.use(router);

  // Every API path, present and future (/v1/*, /mcp), is authenticated and rate limited here;
  // the Slack router above has its own signature check and per-workspace limit.
  app.use(
    API_PATHS,
    guardApi({
      apiKeys: deps.apiKeys ?? [],
      rateLimitPerMinute: deps.rateLimitPerMinute ?? 0,
      maxClients: deps.rateLimitMaxClients ?? 10_000,
      store: deps.rateLimitStore,
    }),
  );
  app.use('/v1', express.json({ limit: deps.bodyLimit ?? '64kb' }));
  app.use(answerRoute(collections, deps.limits));
  app.use(chatCompletionsRoute(collections, deps.limits));
  app.use(modelsRoute(collections));
  app.use(collectionsRoute(collections));
  app.use(
    mcpRoute({
      collections,
      limits: deps.limits,
      sourceMaxChars: deps.sourceMaxChars ?? 200_000,
      logError: (error) => logger.error({ err: error }, 'MCP request failed'),
      bodyLimit: deps.bodyLimit ?? '64kb',
      allowedOrigins: deps.corsOrigins ?? [],
    }),
  );
  app.use(sourcesRoute(collections, deps.sourceMaxChars ?? 200_000));
  app.use(pageModulesRoute());
  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '5m' }));
  app.use(notFound);
  app.use(OPENAI_PATHS, openAIErrorHandler);
  app.use(errorHandler);
  return app;
}

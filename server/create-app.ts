import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express, { type Express, type Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { AnswerDependencies } from '../core/answer-question.js';
import type { RequestLimits } from './answer-request.js';
import { errorHandler, notFound } from './error-handler.js';
import { HttpError } from './http-error.js';
import { openAIErrorHandler } from './openai-error-handler.js';
import { requireApiKey } from './require-api-key.js';
import { answerRoute } from './routes/answer-route.js';
import { chatCompletionsRoute } from './routes/chat-completions-route.js';
import { healthRoute } from './routes/health-route.js';
import { pageModulesRoute } from './routes/page-modules-route.js';
import { mcpRoute } from './routes/mcp-route.js';
import { modelsRoute } from './routes/models-route.js';
import { sourcesRoute } from './routes/sources-route.js';

export interface AppDependencies {
  /** The answer pipeline's parts, or null while the index is loading. */
  engine: () => AnswerDependencies | null;
  limits: RequestLimits;
  /** When non-empty, /v1/* and /mcp need one of these as a bearer token. */
  apiKeys?: string[];
  /** Requests per minute per API key (or address); 0 turns limiting off. */
  rateLimitPerMinute?: number;
  /** Origins allowed by CORS; empty means no CORS headers. */
  corsOrigins?: string[];
  bodyLimit?: string;
  logger?: Logger;
  /** Extra routers mounted before the API (the Slack endpoint), with their own body parsing. */
  extraRouters?: Router[];
}

const PUBLIC_DIR = fileURLToPath(new URL('./public', import.meta.url));
/** Paths behind the API keys and the rate limit: the HTTP API and the MCP endpoint. */
const API_PATHS = ['/v1', '/mcp'];
/** Routes whose errors take OpenAI's shape. */
const OPENAI_PATHS = ['/v1/chat/completions', '/v1/models'];

/** The Express app: chat page, answer API, OpenAI-compatible API, MCP, sources, health. Wiring of real parts is main.ts's job. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const logger = deps.logger ?? pino({ level: 'silent' });
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const id = (request.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-slack-signature"]'],
    }),
  );
  app.use(helmet());
  if (deps.corsOrigins && deps.corsOrigins.length > 0) app.use(API_PATHS, cors({ origin: deps.corsOrigins }));

  app.use(healthRoute(() => deps.engine() !== null));
  for (const router of deps.extraRouters ?? []) app.use(router);

  if (deps.rateLimitPerMinute && deps.rateLimitPerMinute > 0) {
    app.use(
      API_PATHS,
      rateLimit({
        windowMs: 60_000,
        limit: deps.rateLimitPerMinute,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        keyGenerator: (request) => {
          const key = /^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '')?.[1];
          return key ? `key:${key}` : ipKeyGenerator(request.ip ?? 'unknown');
        },
        handler: (_request, response, next) => {
          // The same number as the Retry-After header the limiter has just set, for readers of the message.
          const seconds = Number(response.getHeader('Retry-After')) || 60;
          next(
            new HttpError(
              429,
              'rate_limited',
              `Too many requests: the limit is ${deps.rateLimitPerMinute} a minute. Try again in ${seconds} seconds.`,
            ),
          );
        },
      }),
    );
  }
  if (deps.apiKeys && deps.apiKeys.length > 0) app.use(API_PATHS, requireApiKey(deps.apiKeys));
  app.use('/v1', express.json({ limit: deps.bodyLimit ?? '64kb' }));
  app.use(answerRoute(deps.engine, deps.limits));
  app.use(chatCompletionsRoute(deps.engine, deps.limits));
  app.use(modelsRoute(deps.engine));
  app.use(
    mcpRoute({
      engine: deps.engine,
      limits: deps.limits,
      logError: (error) => logger.error({ err: error }, 'MCP tool failed'),
      bodyLimit: deps.bodyLimit ?? '64kb',
      allowedOrigins: deps.corsOrigins ?? [],
    }),
  );
  app.use(sourcesRoute(deps.engine));
  app.use(pageModulesRoute());
  app.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: '5m' }));
  app.use(notFound);
  app.use(OPENAI_PATHS, openAIErrorHandler);
  app.use(errorHandler);
  return app;
}

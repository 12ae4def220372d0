import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { ApiKey } from '../config/load-config.js';
import { BoundedRateLimitStore } from './bounded-rate-limit-store.js';
import { HttpError } from './http-error.js';
import { matchApiKey } from './match-api-key.js';

export interface ApiGuardOptions {
  /** When non-empty, requests need `Authorization: Bearer <one of these>`; a key with `collections` reads only those. */
  apiKeys: (string | ApiKey)[];
  /** Requests a minute per client; 0 turns limiting off. */
  rateLimitPerMinute: number;
  /** Most clients the limiter remembers at once (its memory bound). */
  maxClients: number;
  /** The limiter's store; a BoundedRateLimitStore of `maxClients` when not given. */
  store?: Store;
}

/** Who a request is counted as: `key-N` for a matched API key, else `address:<ip>`. Logs show it too. */
export function clientOf(response: { locals?: Record<string, unknown> }): string | undefined {
  return response.locals?.client as string | undefined;
}

/**
 * Authentication and rate limiting for the API, as one chain a router mounts on every API path
 * (/v1/*, /mcp), so routes added later inherit it. The client is identified first, and only by
 * what the server can trust: the id of a key that matched, else the client address. Whatever a
 * client puts in a header is never a limiter key (a new bearer token is not a new allowance, and
 * unique tokens cannot grow the limiter's memory). A request with a missing or wrong key is
 * counted against its address before it is refused, so guessing keys runs into 429 too.
 */
export function guardApi(options: ApiGuardOptions): RequestHandler[] {
  const keys = options.apiKeys.map((key) => (typeof key === 'string' ? { key } : key));
  const match = keys.length > 0 ? matchApiKey(keys.map((key) => key.key)) : null;
  // What each key may read, by its id (`key-1` is the first), for the routes (server/request-scope.ts).
  const scopes = new Map(keys.map((key, i) => [`key-${i + 1}`, { collections: key.collections, who: 'This API key' }]));
  const identify: RequestHandler = (request, response, next) => {
    const address = `address:${ipKeyGenerator(request.ip ?? 'unknown')}`;
    if (!match) {
      response.locals.client = address;
      return next();
    }
    const presented = /^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '')?.[1]?.trim();
    const key = presented ? match(presented) : null;
    response.locals.client = key ?? address;
    if (key) response.locals.scope = scopes.get(key);
    else {
      response.locals.authFailure = new HttpError(
        401,
        'unauthorized',
        presented ? 'The API key is not valid.' : 'Send an API key as Authorization: Bearer <key>.',
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    next();
  };
  const refuseUnauthenticated: RequestHandler = (_request, response, next) => next(response.locals.authFailure);
  if (options.rateLimitPerMinute <= 0) return [identify, refuseUnauthenticated];

  const limit = rateLimit({
    windowMs: 60_000,
    limit: options.rateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: options.store ?? new BoundedRateLimitStore(options.maxClients),
    keyGenerator: (_request, response) => clientOf(response)!,
    handler: (_request, response, next) => {
      // The same number as the Retry-After header the limiter has just set, for readers of the message.
      const seconds = Number(response.getHeader('Retry-After')) || 60;
      next(
        new HttpError(
          429,
          'rate_limited',
          `Too many requests: the limit is ${options.rateLimitPerMinute} a minute. Try again in ${seconds} seconds.`,
        ),
      );
    },
  });
  return [identify, limit, refuseUnauthenticated];
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`. Keys are compared as SHA-256
 * digests with timingSafeEqual, so neither a key's content nor its length leaks through timing.
 */
export function requireApiKey(keys: string[]): RequestHandler {
  const digests = keys.map(digest);
  return (request, _response, next) => {
    const match = /^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '');
    if (!match)
      return next(new HttpError(401, 'unauthorized', 'Send an API key as Authorization: Bearer <key>.', { 'WWW-Authenticate': 'Bearer' }));
    const candidate = digest(match[1].trim());
    let valid = false;
    for (const known of digests) valid = timingSafeEqual(known, candidate) || valid;
    if (!valid) return next(new HttpError(401, 'unauthorized', 'The API key is not valid.', { 'WWW-Authenticate': 'Bearer' }));
    next();
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

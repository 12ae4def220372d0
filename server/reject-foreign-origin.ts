import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/**
 * Refuses a browser request whose Origin is not one of `allowed` (403). MCP requires servers to
 * check Origin: a page on another site (or one reached through DNS rebinding, which CORS cannot
 * see) must not drive a local MCP server. Clients outside a browser send no Origin.
 */
export function rejectForeignOrigin(allowed: string[]): RequestHandler {
  return (request, _response, next) => {
    const origin = request.get('origin');
    if (origin === undefined || allowed.includes(origin)) return next();
    next(
      new HttpError(403, 'origin_not_allowed', `Requests from the origin ${origin} are not allowed; list it in CORS_ORIGINS to allow it.`),
    );
  };
}

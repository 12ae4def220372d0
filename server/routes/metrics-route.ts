import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { HttpError } from '../http-error.js';

/**
 * GET /metrics in Prometheus's text format. With a token, a scrape must send it as a bearer
 * token (Prometheus's `authorization` setting); without one it is open, as /healthz is.
 */
export function metricsRoute(registry: Registry, token?: string): Router {
  const router = Router();
  router.get('/metrics', async (request, response, next) => {
    if (token && !sameToken(/^Bearer\s+(.+)$/i.exec(request.get('authorization') ?? '')?.[1]?.trim() ?? '', token)) {
      return next(
        new HttpError(401, 'unauthorized', 'Send the metrics token as Authorization: Bearer <token>.', { 'WWW-Authenticate': 'Bearer' }),
      );
    }
    response.set('Content-Type', registry.contentType).send(await registry.metrics());
  });
  return router;
}

function sameToken(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

import { Router } from 'express';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import { scopeOf } from '../request-scope.js';

/**
 * GET /v1/collections: the collections the caller's key may read (every one without keys), each
 * with its status, documents, chunks, generation and when that generation was written; and the
 * one a request that names none reads.
 */
export function collectionsRoute(collections: EngineRegistry): Router {
  const router = Router();
  router.get('/v1/collections', async (_request, response) => {
    const scope = scopeOf(response);
    response.json({ default: collections.defaultFor(scope), collections: await collections.describe(scope) });
  });
  return router;
}

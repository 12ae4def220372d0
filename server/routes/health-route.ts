import { Router } from 'express';
import { DEFAULT_COLLECTION } from '../../config/collection-name.js';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import type { WorkersReadiness } from '../../runtime/serve-workers.js';

/**
 * GET /healthz (the process is up) and /readyz: ready once no collection is still loading and one
 * answers, with which generation answers the default; each collection's status is listed, so one
 * that could not be loaded (`unavailable`, refused by name while the others answer) is reported.
 * Under several workers /readyz is ready only when every worker is (`workers`, as the primary
 * last said), so a load balancer never sends traffic to a server still half loading.
 */
export function healthRoute(collections: EngineRegistry, workers: () => WorkersReadiness | undefined = () => undefined): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', (_request, response) => {
    const states = collections.states();
    const listed = states.map(({ name, status, generation }) => ({ name, status, generation }));
    const cluster = workers();
    const everyWorker = !cluster || (cluster.total > 0 && cluster.ready >= cluster.total);
    const detail = cluster ? { workers: cluster } : {};
    if (!everyWorker || states.some((state) => state.status === 'loading')) {
      response
        .status(503)
        .set('Retry-After', '2')
        .json({ status: 'loading', collections: listed, ...detail });
    } else if (states.every((state) => state.status === 'unavailable')) {
      response.status(503).json({ status: 'unavailable', collections: listed, ...detail });
    } else {
      const generation = states.find((state) => state.name === DEFAULT_COLLECTION)?.generation ?? null;
      response.json({ status: 'ready', generation, collections: listed, ...detail });
    }
  });
  return router;
}

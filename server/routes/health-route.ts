import { Router } from 'express';
import type { Engine } from '../../core/engine.js';
import type { WorkersReadiness } from '../../runtime/serve-workers.js';

/**
 * GET /healthz (the process is up) and /readyz (the index is loaded, and which generation of it
 * answers). Under several workers /readyz is ready only when every worker is (`workers`, as the
 * primary last said), so a load balancer never sends traffic to a server still half loading.
 */
export function healthRoute(
  engine: Pick<Engine, 'generation'>,
  ready: () => boolean,
  workers: () => WorkersReadiness | undefined = () => undefined,
): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', (_request, response) => {
    const cluster = workers();
    const everyWorker = !cluster || (cluster.total > 0 && cluster.ready >= cluster.total);
    const detail = cluster ? { workers: cluster } : {};
    if (ready() && everyWorker) response.json({ status: 'ready', generation: engine.generation, ...detail });
    else
      response
        .status(503)
        .set('Retry-After', '2')
        .json({ status: 'loading', ...detail });
  });
  return router;
}

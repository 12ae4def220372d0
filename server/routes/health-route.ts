import { Router } from 'express';
import { DEFAULT_COLLECTION } from '../../config/collection-name.js';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import type { WorkersReadiness } from '../../runtime/serve-workers.js';

export interface HealthOptions {
  /** Under several workers, how many of them are serving (runtime/serve-workers.ts): /readyz waits for all. */
  workers?: () => WorkersReadiness | undefined;
  /** Resolves when the store answers (STORE=postgres: a query of the database); rejects with why it does not. */
  checkStore?: () => Promise<void>;
  /** Whether the process is draining (SIGTERM received): it still answers, but a load balancer should send no more. */
  draining?: () => boolean;
}

/**
 * GET /healthz (the process is up) and /readyz: ready once no collection is still loading and one
 * answers, with which generation answers the default; each collection's status is listed, so one
 * that could not be loaded (`unavailable`, refused by name while the others answer) is reported.
 * Under several workers /readyz is ready only when every worker is (`workers`, as the primary
 * last said), so a load balancer never sends traffic to a server still half loading. Not ready
 * while the store cannot be reached (a replica that lost its database answers nothing) and while
 * draining, so a load balancer takes the replica out before it stops.
 */
export function healthRoute(collections: EngineRegistry, options: HealthOptions = {}): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const states = collections.states();
    const listed = states.map(({ name, status, generation }) => ({ name, status, generation }));
    const cluster = options.workers?.();
    const everyWorker = !cluster || (cluster.total > 0 && cluster.ready >= cluster.total);
    const detail = { collections: listed, ...(cluster ? { workers: cluster } : {}) };
    if (options.draining?.()) {
      response.status(503).json({ status: 'draining', ...detail });
      return;
    }
    if (!everyWorker || states.some((state) => state.status === 'loading')) {
      response
        .status(503)
        .set('Retry-After', '2')
        .json({ status: 'loading', ...detail });
      return;
    }
    if (states.every((state) => state.status === 'unavailable')) {
      response.status(503).json({ status: 'unavailable', ...detail });
      return;
    }
    const store = await options.checkStore?.().then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    if (store) {
      response
        .status(503)
        .set('Retry-After', '5')
        .json({ status: 'store_unavailable', reason: store, ...detail });
      return;
    }
    const generation = states.find((state) => state.name === DEFAULT_COLLECTION)?.generation ?? null;
    response.json({ status: 'ready', generation, ...detail });
  });
  return router;
}

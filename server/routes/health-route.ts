import { Router } from 'express';
import type { Engine } from '../../core/engine.js';

/** GET /healthz (the process is up) and /readyz (the index is loaded, and which generation of it answers). */
export function healthRoute(engine: Pick<Engine, 'generation'>, ready: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', (_request, response) => {
    if (ready()) response.json({ status: 'ready', generation: engine.generation });
    else response.status(503).set('Retry-After', '2').json({ status: 'loading' });
  });
  return router;
}

import { Router } from 'express';

/** GET /healthz (the process is up) and /readyz (the index is loaded). */
export function healthRoute(isReady: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', (_request, response) => {
    if (isReady()) response.json({ status: 'ready' });
    else response.status(503).set('Retry-After', '2').json({ status: 'loading' });
  });
  return router;
}

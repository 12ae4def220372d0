import { Router } from 'express';
import type { AnswerDependencies } from '../../core/answer-question.js';

/** GET /healthz (the process is up) and /readyz (the index is loaded, and which generation of it answers). */
export function healthRoute(engine: () => AnswerDependencies | null): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', (_request, response) => {
    const ready = engine();
    if (ready) response.json({ status: 'ready', generation: ready.generation ?? null });
    else response.status(503).set('Retry-After', '2').json({ status: 'loading' });
  });
  return router;
}

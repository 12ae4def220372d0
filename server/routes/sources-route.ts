import { Router } from 'express';
import type { AnswerDependencies } from '../../core/answer-question.js';
import { HttpError } from '../http-error.js';

/** GET /v1/sources and /v1/sources/:docId: the stored texts every citation offset points into. */
export function sourcesRoute(engine: () => AnswerDependencies | null): Router {
  const router = Router();
  const documents = () => {
    const deps = engine();
    if (!deps) throw new HttpError(503, 'index_loading', 'The index is still loading; try again in a few seconds.', { 'Retry-After': '2' });
    return deps.index.documents;
  };

  router.get('/v1/sources', (_request, response) => {
    const sources = [...documents().values()].map(({ docId, title, text }) => ({ docId, title, characters: text.length }));
    response.json({ sources });
  });

  // Ids may contain "/" (nested files). They are only ever looked up as map keys, never as
  // paths, so no id can reach outside the index.
  router.get('/v1/sources/*docId', (request, response) => {
    const docId = ([] as string[]).concat(request.params.docId as string | string[]).join('/');
    const document = documents().get(docId);
    if (!document) throw new HttpError(404, 'source_not_found', `No source with id "${docId}". GET /v1/sources lists them.`);
    response.json({ docId: document.docId, title: document.title, text: document.text });
  });
  return router;
}

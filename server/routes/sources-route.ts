import { Router } from 'express';
import type { AnswerDependencies } from '../../core/answer-question.js';
import { HttpError } from '../http-error.js';
import { requireEngine } from '../require-engine.js';

/**
 * GET /v1/sources (each document's path, title, kind, pages, chunk count and content hash) and
 * /v1/sources/:docId: the stored text every citation offset points into, with its blocks.
 */
export function sourcesRoute(engine: () => AnswerDependencies | null): Router {
  const router = Router();
  const store = () => requireEngine(engine).store;

  router.get('/v1/sources', async (_request, response) => {
    response.json({ sources: await store().listDocuments() });
  });

  // Ids may contain "/" (nested files). They are only ever looked up as keys, never as
  // paths, so no id can reach outside the index.
  router.get('/v1/sources/*docId', async (request, response) => {
    const docId = ([] as string[]).concat(request.params.docId as string | string[]).join('/');
    const document = await store().getDocument(docId);
    if (!document) throw new HttpError(404, 'source_not_found', `No source with id "${docId}". GET /v1/sources lists them.`);
    const { docId: id, title, path, kind, pages, text, blocks } = document;
    response.json({ docId: id, title, path, kind, pages, text, blocks });
  });
  return router;
}

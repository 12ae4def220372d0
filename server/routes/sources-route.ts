import { Router } from 'express';
import type { AnswerDependencies } from '../../core/answer-question.js';
import { HttpError } from '../http-error.js';
import { requireEngine } from '../require-engine.js';
import { sourceRange } from '../source-range.js';

/**
 * GET /v1/sources (each document's path, URL when crawled, title, kind, pages, chunk count and content hash) and
 * /v1/sources/:docId: the stored text every citation offset points into, a range at a time (at
 * most `maxChars` characters a response), with the blocks of that range, so a client fetches what
 * it shows and a large document cannot hold the server while it is serialised.
 */
export function sourcesRoute(engine: () => AnswerDependencies | null, maxChars: number): Router {
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
    const { start, end } = sourceRange(request.query, document.text.length, maxChars);
    response.json({
      docId: document.docId,
      title: document.title,
      path: document.path,
      url: document.url,
      kind: document.kind,
      pages: document.pages,
      characters: document.text.length,
      start,
      end,
      text: document.text.slice(start, end),
      next: end < document.text.length ? end : null,
      // The blocks that overlap the range, with offsets into the whole document (as citations have).
      blocks: document.blocks.filter((block) => block.start < end && block.end > start),
    });
  });
  return router;
}

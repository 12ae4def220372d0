import { Router } from 'express';
import type { Engine } from '../../core/engine.js';
import { HttpError } from '../http-error.js';
import { sourceRange } from '../source-range.js';

/**
 * GET /v1/sources (each document's path, URL when crawled, title, kind, pages, chunk count and content hash) and
 * /v1/sources/:docId: the stored text every citation offset points into, a range at a time (at
 * most `maxChars` characters a response), with the blocks of that range, so a client fetches what
 * it shows and a large document cannot hold the server while it is serialised.
 */
export function sourcesRoute(engine: Engine, maxChars: number): Router {
  const router = Router();

  router.get('/v1/sources', async (_request, response) => {
    response.json({ sources: await engine.sources() });
  });

  // Ids may contain "/" (nested files). They are only ever looked up as keys, never as
  // paths, so no id can reach outside the index.
  router.get('/v1/sources/*docId', async (request, response) => {
    const docId = ([] as string[]).concat(request.params.docId as string | string[]).join('/');
    const source = await engine.source(docId, (characters) => sourceRange(request.query, characters, maxChars));
    if (!source) throw new HttpError(404, 'source_not_found', `No source with id "${docId}". GET /v1/sources lists them.`);
    const { title, path, url, kind, pages, characters, start, end, text, blocks } = source;
    response.json({
      docId: source.docId,
      title,
      path,
      url,
      kind,
      pages,
      characters,
      start,
      end,
      text,
      next: end < characters ? end : null,
      // The blocks that overlap the range, with offsets into the whole document (as citations have).
      blocks,
    });
  });
  return router;
}

import { Router, type Request, type Response } from 'express';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import { HttpError } from '../http-error.js';
import { InvalidParameterError } from '../invalid-parameter-error.js';
import { scopeOf } from '../request-scope.js';
import { sourceRange } from '../source-range.js';

/**
 * GET /v1/sources (each document's path, URL when crawled, title, kind, pages, chunk count and content hash) and
 * /v1/sources/:docId: the stored text every citation offset points into, a range at a time (at
 * most `maxChars` characters a response), with the blocks of that range, so a client fetches what
 * it shows and a large document cannot hold the server while it is serialised.
 * `?collection=NAME` picks the collection (default: the caller's default).
 */
export function sourcesRoute(collections: EngineRegistry, maxChars: number): Router {
  const router = Router();
  const engineFor = (request: Request, response: Response) => {
    const named = request.query.collection;
    if (named !== undefined && typeof named !== 'string') throw new InvalidParameterError('collection', 'collection: must be one name');
    return collections.resolve(named, scopeOf(response));
  };

  router.get('/v1/sources', async (request, response) => {
    response.json({ sources: await engineFor(request, response).sources() });
  });

  // Ids may contain "/" (nested files). They are only ever looked up as keys, never as
  // paths, so no id can reach outside the index.
  router.get('/v1/sources/*docId', async (request, response) => {
    const docId = ([] as string[]).concat(request.params.docId as string | string[]).join('/');
    const engine = engineFor(request, response);
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

import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { InvalidInputError } from '../../core/contracts/invalid-input-error.js';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import { DEFAULT_PAGE_SIZE, pageList } from '../../runtime/page-list.js';
import { sourceRange } from '../../runtime/source-range.js';
import { HttpError } from '../http-error.js';
import { InvalidParameterError } from '../invalid-parameter-error.js';
import { scopeOf } from '../request-scope.js';

/** Most documents one GET /v1/sources page holds. */
export const MAX_PAGE_SIZE = 1000;

const listQuery = z.object({
  limit: z
    .string({ message: 'must be given once' })
    .regex(/^\d{1,7}$/, { message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= MAX_PAGE_SIZE, { message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .optional(),
  cursor: z.string({ message: 'must be given once' }).max(4096, { message: 'is not a cursor of this list' }).optional(),
});

/**
 * GET /v1/sources (each document's path, URL when crawled, title, kind, pages, chunk count and
 * content hash, a page at a time, with the totals) and /v1/sources/:docId: the stored text every
 * citation offset points into, a range at a time (at most `maxChars` characters a response), with
 * the blocks of that range, so a client fetches what it shows and a large document or index
 * cannot hold the server while it is serialised. `?collection=NAME` picks the collection
 * (default: the caller's default).
 */
export function sourcesRoute(collections: EngineRegistry, maxChars: number): Router {
  const router = Router();
  const engineFor = (request: Request, response: Response) => {
    const named = request.query.collection;
    if (named !== undefined && typeof named !== 'string') throw new InvalidParameterError('collection', 'collection: must be one name');
    return collections.resolve(named, scopeOf(response));
  };

  router.get('/v1/sources', async (request, response) => {
    const parsed = listQuery.safeParse(request.query);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const field = issue.path.map(String).join('.');
      throw new InvalidInputError(field, `${field}: ${issue.message}`);
    }
    const documents = await engineFor(request, response).sources();
    const { items, nextCursor } = pageList(
      documents,
      (document) => document.docId,
      parsed.data.cursor,
      parsed.data.limit ?? DEFAULT_PAGE_SIZE,
    );
    const totals = { documents: documents.length, chunks: 0, characters: 0 };
    for (const document of documents) {
      totals.chunks += document.chunks;
      totals.characters += document.characters;
    }
    response.json({ sources: items, nextCursor, totals });
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

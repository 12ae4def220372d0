import { InvalidInputError } from '../core/contracts/invalid-input-error.js';

/** Items a list page holds when the client does not say (GET /v1/sources, MCP resources/list). */
export const DEFAULT_PAGE_SIZE = 100;

/** One page of a list, and the cursor of the next (null after the last page). */
export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The page of `items` after `cursor` (from the start without one), at most `limit` long. A cursor
 * is opaque to clients: the id of the last item of the page before, so a page follows on from
 * its item even when a re-ingest has added or removed others before it. A cursor naming an item
 * no longer listed throws InvalidInputError (list again from the start).
 */
export function pageList<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  cursor: string | undefined,
  limit = DEFAULT_PAGE_SIZE,
): ListPage<T> {
  let from = 0;
  if (cursor !== undefined) {
    const after = Buffer.from(cursor, 'base64url').toString('utf8');
    const position = cursor === '' ? -1 : items.findIndex((item) => idOf(item) === after);
    if (position < 0) {
      throw new InvalidInputError(
        'cursor',
        'cursor: not a cursor of this list (or its item is gone after a re-ingest); list again from the start',
      );
    }
    from = position + 1;
  }
  const page = items.slice(from, from + limit);
  const more = from + limit < items.length;
  return { items: page, nextCursor: more ? Buffer.from(idOf(page.at(-1)!), 'utf8').toString('base64url') : null };
}

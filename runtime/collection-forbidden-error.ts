import { listNames, quoteName } from './name-list.js';

/**
 * The caller may not read the collection it names (HTTP 403 `collection_forbidden`): an API key
 * or a Slack channel scoped to other collections. Said the same whether the collection exists or
 * not, so a scoped key cannot learn the names of the others.
 */
export class CollectionForbiddenError extends Error {
  readonly name = 'CollectionForbiddenError';
  readonly code = 'collection_forbidden';
  constructor(
    readonly collection: string,
    readable: readonly string[],
    /** Who is refused, for the message: `This API key`, `This Slack channel`. */
    who = 'This caller',
  ) {
    super(
      readable.length === 0
        ? `${who} may not read any collection.`
        : `${who} may not read the collection ${quoteName(collection)}; it may read: ${listNames(readable)}.`,
    );
  }
  static isInstance(error: unknown): error is CollectionForbiddenError {
    return error instanceof Error && error.name === 'CollectionForbiddenError';
  }
}

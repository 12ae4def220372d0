import { listNames, quoteName } from './name-list.js';

/** A request names a collection the server does not have (HTTP 404 `collection_not_found`). */
export class UnknownCollectionError extends Error {
  readonly name = 'UnknownCollectionError';
  readonly code = 'collection_not_found';
  constructor(
    readonly collection: string,
    /** The collections the caller may read, which the message lists. */
    available: readonly string[],
  ) {
    super(`There is no collection ${quoteName(collection)}; the collections are: ${listNames(available)}.`);
  }
  static isInstance(error: unknown): error is UnknownCollectionError {
    return error instanceof Error && error.name === 'UnknownCollectionError';
  }
}

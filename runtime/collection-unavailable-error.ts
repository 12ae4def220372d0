import { quoteName } from './name-list.js';

/**
 * The collection exists but its index could not be loaded (damaged, missing, built by another
 * embedder): refused by name (HTTP 503 `collection_unavailable`) while the others answer. What is
 * wrong is in the server's log and /readyz; the message carries no path.
 */
export class CollectionUnavailableError extends Error {
  readonly name = 'CollectionUnavailableError';
  readonly code = 'collection_unavailable';
  constructor(readonly collection: string) {
    super(
      `The collection ${quoteName(collection)} is unavailable: its index could not be loaded (the server's log says why). ` +
        'The other collections are answering.',
    );
  }
  static isInstance(error: unknown): error is CollectionUnavailableError {
    return error instanceof Error && error.name === 'CollectionUnavailableError';
  }
}

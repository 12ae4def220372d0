/**
 * A remote store (the Postgres one) could not answer: the database is out of reach, refused the
 * connection or took longer than its statement timeout. Every surface maps it once (HTTP: 503);
 * the message names the problem, never a password or a stack.
 */
export class StoreUnavailableError extends Error {
  readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';
  constructor(message: string) {
    super(message);
  }
  static isInstance(error: unknown): error is StoreUnavailableError {
    return error instanceof Error && error.name === 'StoreUnavailableError';
  }
}

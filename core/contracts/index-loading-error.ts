/** The engine was asked before its index finished loading; every surface maps it once (HTTP: 503 with Retry-After). */
export class IndexLoadingError extends Error {
  readonly name = 'IndexLoadingError';
  readonly code = 'index_loading';
  constructor() {
    super('The index is still loading; try again in a few seconds.');
  }
  static isInstance(error: unknown): error is IndexLoadingError {
    return error instanceof Error && error.name === 'IndexLoadingError';
  }
}

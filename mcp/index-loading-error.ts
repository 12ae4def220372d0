/** A tool was called before the index finished loading (the HTTP API answers 503 index_loading). */
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

/** The index folder does not exist or holds no manifest. */
export class IndexNotFoundError extends Error {
  readonly name = 'IndexNotFoundError';
  readonly code = 'index_not_found';
  static isInstance(error: unknown): error is IndexNotFoundError {
    return error instanceof Error && error.name === 'IndexNotFoundError';
  }
}

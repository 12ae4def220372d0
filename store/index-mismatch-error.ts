/** The index was built by another embedder or in another format version. */
export class IndexMismatchError extends Error {
  readonly name = 'IndexMismatchError';
  readonly code = 'index_mismatch';
  static isInstance(error: unknown): error is IndexMismatchError {
    return error instanceof Error && error.name === 'IndexMismatchError';
  }
}

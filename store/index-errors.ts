/** The index folder does not exist or holds no manifest. */
export class IndexNotFoundError extends Error {
  readonly name = 'IndexNotFoundError';
  static isInstance(error: unknown): error is IndexNotFoundError {
    return error instanceof Error && error.name === 'IndexNotFoundError';
  }
}

/** The index was built by another embedder or another format version. */
export class IndexMismatchError extends Error {
  readonly name = 'IndexMismatchError';
  static isInstance(error: unknown): error is IndexMismatchError {
    return error instanceof Error && error.name === 'IndexMismatchError';
  }
}

/** A file of the index is missing, unreadable or inconsistent with the manifest. */
export class IndexCorruptError extends Error {
  readonly name = 'IndexCorruptError';
  static isInstance(error: unknown): error is IndexCorruptError {
    return error instanceof Error && error.name === 'IndexCorruptError';
  }
}

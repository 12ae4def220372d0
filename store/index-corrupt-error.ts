/** A file of the index is missing, unreadable or inconsistent with the manifest. */
export class IndexCorruptError extends Error {
  readonly name = 'IndexCorruptError';
  readonly code = 'index_corrupt';
  static isInstance(error: unknown): error is IndexCorruptError {
    return error instanceof Error && error.name === 'IndexCorruptError';
  }
}

/** The index was built by another embedder or in another format version. */
export class IndexMismatchError extends Error {
  readonly name = 'IndexMismatchError';
  readonly code = 'index_mismatch';
  /**
   * Set when the index is in an older format and names the folder it was built from: derived data
   * this version can rebuild from that same folder, keeping the old generation on disk.
   */
  constructor(
    message: string,
    readonly olderFormatOf?: string,
  ) {
    super(message);
  }
  static isInstance(error: unknown): error is IndexMismatchError {
    return error instanceof Error && error.name === 'IndexMismatchError';
  }
}

/** A documents folder that cannot be read or holds no supported document. */
export class NoDocumentsError extends Error {
  readonly name = 'NoDocumentsError';
  readonly code = 'no_documents';
  static isInstance(error: unknown): error is NoDocumentsError {
    return error instanceof Error && error.name === 'NoDocumentsError';
  }
}

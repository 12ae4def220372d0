/** A cases, thresholds or baseline file that cannot be used: the message names the line and the field. */
export class CaseFileError extends Error {
  readonly name = 'CaseFileError';
  readonly code = 'case_file_invalid';
  static isInstance(error: unknown): error is CaseFileError {
    return error instanceof Error && error.name === 'CaseFileError';
  }
}

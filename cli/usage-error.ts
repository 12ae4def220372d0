/** A command was called wrongly (missing or bad option); the runner prints the usage with it. */
export class UsageError extends Error {
  readonly name = 'UsageError';
  readonly code = 'usage';
  static isInstance(error: unknown): error is UsageError {
    return error instanceof Error && error.name === 'UsageError';
  }
}

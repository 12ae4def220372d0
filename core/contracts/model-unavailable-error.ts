/** The model could not answer (after retries): timeouts, rate limits, server errors. */
export class ModelUnavailableError extends Error {
  readonly name = 'ModelUnavailableError';
  readonly code = 'model_unavailable';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
  static isInstance(error: unknown): error is ModelUnavailableError {
    return error instanceof Error && error.name === 'ModelUnavailableError';
  }
}

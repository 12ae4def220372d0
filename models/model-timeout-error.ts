/** A model call that sent nothing for longer than its timeout (first token, or between tokens). */
export class ModelTimeoutError extends Error {
  readonly name = 'ModelTimeoutError';
  readonly code = 'model_timeout';
  constructor(ms: number) {
    super(`no response within ${ms} ms`);
  }
  static isInstance(error: unknown): error is ModelTimeoutError {
    return error instanceof Error && error.name === 'ModelTimeoutError';
  }
}

/** The one error type handlers throw; server/error-handler.ts turns it into a JSON response. */
export class HttpError extends Error {
  readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  static isInstance(error: unknown): error is HttpError {
    return error instanceof Error && error.name === 'HttpError';
  }
}

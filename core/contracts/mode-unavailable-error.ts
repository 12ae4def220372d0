/** An answer mode was asked for that this engine cannot give (generative without a chat model). */
export class ModeUnavailableError extends Error {
  readonly name = 'ModeUnavailableError';
  readonly code = 'mode_unavailable';
  static isInstance(error: unknown): error is ModeUnavailableError {
    return error instanceof Error && error.name === 'ModeUnavailableError';
  }
}

/** The cases name documents the index (or server) does not hold at all: they were written for another one. */
export class WrongIndexError extends Error {
  readonly name = 'WrongIndexError';
  readonly code = 'wrong_index';
  static isInstance(error: unknown): error is WrongIndexError {
    return error instanceof Error && error.name === 'WrongIndexError';
  }
}

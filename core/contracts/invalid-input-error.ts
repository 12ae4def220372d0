/** A question, its history or an option breaks the one input contract (core/question/parse-answer-input.ts). */
export class InvalidInputError extends Error {
  readonly name = 'InvalidInputError';
  readonly code = 'invalid_request';
  constructor(
    /** The field at fault as the contract names it: `question`, `history[2].content`, `k`, `mode`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
  static isInstance(error: unknown): error is InvalidInputError {
    return error instanceof Error && error.name === 'InvalidInputError';
  }
}

import { HttpError } from './http-error.js';

/**
 * A request parameter is wrong (400 unless said otherwise). It is an HttpError (same `name`),
 * mapped like any other; OpenAI-shaped errors also name the parameter in `param`.
 */
export class InvalidParameterError extends HttpError {
  constructor(
    readonly param: string,
    message: string,
    status = 400,
    code = 'invalid_request',
  ) {
    super(status, code, message);
  }
  static isInstance(error: unknown): error is InvalidParameterError {
    return HttpError.isInstance(error) && typeof (error as { param?: unknown }).param === 'string';
  }
}

import type { ErrorRequestHandler } from 'express';
import { recordFailure, toHttpError } from './error-handler.js';
import { InvalidParameterError } from './invalid-parameter-error.js';

/**
 * Renders errors on the OpenAI-compatible routes in OpenAI's shape,
 * `{error: {message, type, code, param}}`, so OpenAI clients raise their usual exceptions. The
 * mapping from error to status, code and message stays `toHttpError`'s; only the body differs.
 */
export const openAIErrorHandler: ErrorRequestHandler = (error, _request, response, _next) => {
  const httpError = toHttpError(error);
  recordFailure(response, httpError, error);
  if (response.headersSent) {
    response.end();
    return;
  }
  const param = InvalidParameterError.isInstance(error) ? error.param : null;
  response
    .status(httpError.status)
    .set(httpError.headers)
    .json({ error: { message: httpError.message, type: openAIErrorType(httpError.status), code: httpError.code, param } });
};

/** OpenAI's error `type` for a status. */
function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { boundMessage } from '../core/contracts/bound-message.js';
import { IndexLoadingError } from '../core/contracts/index-loading-error.js';
import { InvalidInputError } from '../core/contracts/invalid-input-error.js';
import { ModeUnavailableError } from '../core/contracts/mode-unavailable-error.js';
import { ModelUnavailableError } from '../core/contracts/model-unavailable-error.js';
import { StoreUnavailableError } from '../core/contracts/store-unavailable-error.js';
import { CollectionForbiddenError } from '../runtime/collection-forbidden-error.js';
import { CollectionUnavailableError } from '../runtime/collection-unavailable-error.js';
import { UnknownCollectionError } from '../runtime/unknown-collection-error.js';
import { HttpError } from './http-error.js';

export { MAX_ERROR_MESSAGE_CHARS } from '../core/contracts/bound-message.js';

/**
 * Maps any error to `{error: {code, message}}`; the only place errors become HTTP (JSON, OpenAI's
 * shape, SSE error frames). Never a stack trace, and never a message longer than
 * MAX_ERROR_MESSAGE_CHARS, however much of the request it echoes.
 */
export function toHttpError(error: unknown): HttpError {
  const mapped = mapError(error);
  const message = boundMessage(mapped.message);
  return message === mapped.message ? mapped : new HttpError(mapped.status, mapped.code, message, mapped.headers);
}

function mapError(error: unknown): HttpError {
  if (HttpError.isInstance(error)) return error;
  const bodyError = error as { type?: string; status?: number; limit?: number };
  if (bodyError?.type === 'entity.parse.failed') return new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
  if (bodyError?.type === 'entity.too.large')
    return new HttpError(413, 'body_too_large', `The request body is larger than the limit of ${bodyError.limit} bytes.`);
  if (bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported')
    return new HttpError(415, 'unsupported_encoding', 'The request body must be UTF-8 JSON.');
  if (typeof bodyError?.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return new HttpError(bodyError.status, 'bad_request', 'The request could not be read.');
  }
  if (InvalidInputError.isInstance(error)) return new HttpError(400, error.code, error.message);
  if (IndexLoadingError.isInstance(error)) return new HttpError(503, error.code, error.message, { 'Retry-After': '2' });
  if (UnknownCollectionError.isInstance(error)) return new HttpError(404, error.code, error.message);
  if (CollectionForbiddenError.isInstance(error)) return new HttpError(403, error.code, error.message);
  if (CollectionUnavailableError.isInstance(error)) return new HttpError(503, error.code, error.message);
  if (ModeUnavailableError.isInstance(error)) return new HttpError(400, error.code, error.message);
  if (StoreUnavailableError.isInstance(error)) return new HttpError(503, error.code, error.message, { 'Retry-After': '5' });
  if (ModelUnavailableError.isInstance(error)) return new HttpError(503, error.code, `The language model is unavailable: ${error.message}`);
  return new HttpError(500, 'internal_error', 'Something went wrong on our side; the error has been logged.');
}

/**
 * Notes a failed request's code for its log line (server/create-app.ts) and logs, with its stack,
 * only a failure nobody foresaw (500 internal_error). A 503 while the index loads or the model is
 * down is expected: the request's own line says so, as a warning, without a stack trace.
 */
export function recordFailure(response: Response, httpError: HttpError, error: unknown): void {
  response.locals.errorCode = httpError.code;
  if (httpError.code === 'internal_error') response.req.log?.error({ err: error }, 'request failed');
}

/** The error code a failed request was answered with (set by recordFailure), for its log line. */
export function failureCodeOf(response: { locals?: Record<string, unknown> }): string | undefined {
  return response.locals?.errorCode as string | undefined;
}

export const errorHandler: ErrorRequestHandler = (error, _request, response, _next) => {
  const httpError = toHttpError(error);
  recordFailure(response, httpError, error);
  if (response.headersSent) {
    response.end();
    return;
  }
  response
    .status(httpError.status)
    .set(httpError.headers)
    .json({ error: { code: httpError.code, message: httpError.message } });
};

/** 404 for any route the app does not have. */
export const notFound: RequestHandler = (request, _response, next) => {
  next(new HttpError(404, 'not_found', `No route for ${request.method} ${request.path}.`));
};

import type { Response } from 'express';
import { clientAbortSignal } from './client-abort-signal.js';
import { recordFailure, toHttpError } from './error-handler.js';

/** One Server-Sent Events message; `data` is sent as it is (mappers JSON-encode their payloads). */
export interface SseMessage {
  event?: string;
  data: string;
}

/** Turns a stream's events into one wire format's messages; made per response, so it may keep state. */
export interface StreamMapper<E> {
  map(event: E): SseMessage[];
  /** The message that reports a failure once the stream has begun. */
  error(error: { code: string; message: string }): SseMessage;
  /** Messages after the last event (such as OpenAI's `[DONE]`). */
  end?(): SseMessage[];
}

/**
 * Streams the events of `produce` as Server-Sent Events through `mapper`: the only place that
 * knows SSE. Owns the headers, framing, client abort (the signal given to `produce` fires when
 * the client goes away) and error frames. The first event is awaited before any header is sent,
 * so a request that fails at once gets a plain HTTP error from the error handler, not a stream.
 */
export async function streamSse<E>(
  response: Response,
  produce: (signal: AbortSignal) => AsyncIterable<E>,
  mapper: StreamMapper<E>,
): Promise<void> {
  const iterator = produce(clientAbortSignal(response))[Symbol.asyncIterator]();
  let step = await iterator.next();
  response.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const write = (messages: SseMessage[]) => {
    for (const message of messages) if (!response.writableEnded && !response.destroyed) response.write(formatSseMessage(message));
  };
  try {
    for (; !step.done && !response.destroyed; step = await iterator.next()) write(mapper.map(step.value));
    if (step.done) write(mapper.end?.() ?? []);
    // A client that left mid-stream: let the producer clean up (its signal has fired).
    else await iterator.return?.();
  } catch (error) {
    if (!response.destroyed) {
      const httpError = toHttpError(error);
      recordFailure(response, httpError, error);
      write([mapper.error({ code: httpError.code, message: httpError.message })]);
    }
  } finally {
    if (!response.writableEnded) response.end();
  }
}

/** `event:` and `data:` lines and the blank line that ends a message; multi-line data gets one `data:` line each. */
export function formatSseMessage(message: SseMessage): string {
  const event = message.event ? `event: ${message.event}\n` : '';
  return `${event}${message.data
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n')}\n\n`;
}

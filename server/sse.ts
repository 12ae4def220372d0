import type { Response } from 'express';
import type { AnswerEvent } from '../core/types.js';
import { toHttpError } from './error-handler.js';

const EVENT_NAMES: Record<AnswerEvent['type'], string> = {
  passages: 'passages',
  'text-delta': 'delta',
  citation: 'citation',
  done: 'done',
  error: 'error',
};

/**
 * Streams answer events as Server-Sent Events: `passages`, `delta`, `citation`, `done`, and an
 * `error` event (then the end) if the pipeline fails. Owns the headers and framing; stops
 * writing once the client has gone.
 */
export async function streamSse(
  response: Response,
  events: AsyncIterable<AnswerEvent>,
  transform: (event: AnswerEvent) => unknown = (event) => event,
): Promise<void> {
  response.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const write = (name: string, data: unknown) => {
    if (!response.writableEnded && !response.destroyed) response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  try {
    for await (const event of events) {
      if (response.destroyed) break;
      const { type, ...payload } = transform(event) as AnswerEvent;
      write(EVENT_NAMES[type], type === 'done' ? (payload as { answer: unknown }).answer : payload);
    }
  } catch (error) {
    if (!response.destroyed) {
      const httpError = toHttpError(error);
      if (httpError.status >= 500) response.req.log?.error({ err: error }, 'stream failed');
      write('error', { error: { code: httpError.code, message: httpError.message } });
    }
  } finally {
    if (!response.writableEnded) response.end();
  }
}

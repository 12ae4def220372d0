import type { Response } from 'express';

/** A signal that fires when the client goes away before the response is finished, so the work (model call included) stops. */
export function clientAbortSignal(response: Response): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}

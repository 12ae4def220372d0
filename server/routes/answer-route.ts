import { Router } from 'express';
import { collectAnswer } from '../../core/answer/answer-question.js';
import { parseAnswerInput } from '../../core/question/parse-answer-input.js';
import type { Answer } from '../../core/contracts/types.js';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import { renderSlack } from '../../slack/render-slack.js';
import { answerRequestSchema, describeIssues, type RequestLimits } from '../answer-request.js';
import { clientAbortSignal } from '../client-abort-signal.js';
import { HttpError } from '../http-error.js';
import { scopeOf } from '../request-scope.js';
import { streamSse } from '../sse.js';
import { verbatimStream } from '../verbatim-stream.js';

/** POST /v1/answer: the Answer as JSON, or as an SSE stream; `format: "slack"` adds Block Kit; `collection` picks the documents. */
export function answerRoute(collections: EngineRegistry, limits: RequestLimits): Router {
  const router = Router();

  router.post('/v1/answer', async (request, response) => {
    if (!request.is('application/json')) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
    }
    const parsed = answerRequestSchema.safeParse(request.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'invalid_request', describeIssues(parsed.error));
    const { format, stream, collection, ...fields } = parsed.data;
    const engine = collections.resolve(collection, scopeOf(response));
    const input = parseAnswerInput(fields, limits);
    const body = { format, stream };
    const present = (answer: Answer) => (body.format === 'slack' ? { ...answer, slack: renderSlack(answer) } : answer);

    const wantsStream = body.stream === true || (request.get('accept') ?? '').includes('text/event-stream');
    if (wantsStream) {
      await streamSse(response, (signal) => engine.answer({ ...input, signal }), verbatimStream(present));
      return;
    }
    response.json(present(await collectAnswer(engine.answer({ ...input, signal: clientAbortSignal(response) }))));
  });
  return router;
}

import { Router } from 'express';
import { answerQuestion, collectAnswer, type AnswerDependencies } from '../../core/answer-question.js';
import type { Answer, AnswerInput } from '../../core/types.js';
import { renderSlack } from '../../slack/render-slack.js';
import { answerRequestSchema, describeIssues, type RequestLimits } from '../answer-request.js';
import { clientAbortSignal } from '../client-abort-signal.js';
import { HttpError } from '../http-error.js';
import { requireEngine } from '../require-engine.js';
import { streamSse } from '../sse.js';
import { verbatimStream } from '../verbatim-stream.js';

/** POST /v1/answer: the Answer as JSON, or as an SSE stream; `format: "slack"` adds Block Kit. */
export function answerRoute(engine: () => AnswerDependencies | null, limits: RequestLimits): Router {
  const router = Router();
  const schema = answerRequestSchema(limits);

  router.post('/v1/answer', async (request, response) => {
    if (!request.is('application/json')) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
    }
    const parsed = schema.safeParse(request.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'invalid_request', describeIssues(parsed.error));
    const body = parsed.data;
    const deps = requireEngine(engine);
    const input: AnswerInput = { question: body.question, history: body.history, k: body.k, mode: body.mode };
    const present = (answer: Answer) => (body.format === 'slack' ? { ...answer, slack: renderSlack(answer) } : answer);

    const wantsStream = body.stream === true || (request.get('accept') ?? '').includes('text/event-stream');
    if (wantsStream) {
      await streamSse(response, (signal) => answerQuestion(deps, { ...input, signal }), verbatimStream(present));
      return;
    }
    response.json(present(await collectAnswer(answerQuestion(deps, { ...input, signal: clientAbortSignal(response) }))));
  });
  return router;
}

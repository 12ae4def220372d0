import { Router } from 'express';
import { answerQuestion, collectAnswer, type AnswerDependencies } from '../../core/answer-question.js';
import type { Answer, AnswerEvent } from '../../core/types.js';
import { answerRequestSchema, describeIssues, type RequestLimits } from '../answer-request.js';
import { HttpError } from '../http-error.js';
import { renderSlack } from '../render-slack.js';
import { streamSse } from '../sse.js';

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
    const deps = engine();
    if (!deps) throw new HttpError(503, 'index_loading', 'The index is still loading; try again in a few seconds.', { 'Retry-After': '2' });
    if (body.mode === 'generative' && !deps.chatModel) {
      throw new HttpError(400, 'mode_unavailable', 'mode: "generative" needs a language model; this server has none configured (set OPENAI_API_KEY or OPENAI_BASE_URL).');
    }

    // A client that goes away stops the work, model call included.
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort(new Error('client disconnected'));
    });
    const events = answerQuestion(deps, { question: body.question, history: body.history, k: body.k, mode: body.mode, signal: controller.signal });
    const present = (answer: Answer) => (body.format === 'slack' ? { ...answer, slack: renderSlack(answer) } : answer);

    const wantsStream = body.stream === true || (request.get('accept') ?? '').includes('text/event-stream');
    if (wantsStream) {
      await streamSse(response, events, (event: AnswerEvent) => (event.type === 'done' ? { ...event, answer: present(event.answer) } : event));
      return;
    }
    response.json(present(await collectAnswer(events)));
  });
  return router;
}

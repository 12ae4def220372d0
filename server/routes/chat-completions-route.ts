import { Router } from 'express';
import { collectAnswer } from '../../core/answer/answer-question.js';
import type { AnswerInput } from '../../core/contracts/types.js';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import type { RequestLimits } from '../answer-request.js';
import { parseChatCompletionRequest } from '../chat-completion-request.js';
import { clientAbortSignal } from '../client-abort-signal.js';
import { HttpError } from '../http-error.js';
import { InvalidParameterError } from '../invalid-parameter-error.js';
import { openAIChatStream } from '../openai-chat-stream.js';
import { newCompletionIdentity, renderChatCompletion } from '../render-chat-completion.js';
import { scopeOf } from '../request-scope.js';
import { streamSse } from '../sse.js';
import { describeModels, parseModelId } from '../verbatim-models.js';

/**
 * POST /v1/chat/completions: OpenAI's Chat Completions over the one answer pipeline, as JSON or
 * (`stream: true`) as `chat.completion.chunk` events. The model name picks the answer mode, and
 * the collection after a `/` (`verbatim/handbook`; none: the caller's default).
 */
export function chatCompletionsRoute(collections: EngineRegistry, limits: RequestLimits): Router {
  const router = Router();

  router.post('/v1/chat/completions', async (request, response) => {
    if (!request.is('application/json')) {
      throw new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.');
    }
    const body = parseChatCompletionRequest(request.body, limits);
    const choice = parseModelId(body.model);
    if (!choice) {
      const shown = body.model.length > 60 ? `${body.model.slice(0, 60)}…` : body.model;
      throw new InvalidParameterError(
        'model',
        `The model "${shown}" does not exist; GET /v1/models lists them: ` +
          `${describeModels(collections.modes(), collections.names().length > 1)}.`,
        404,
        'model_not_found',
      );
    }
    const engine = collections.resolve(choice.collection, scopeOf(response));
    const input: AnswerInput = { ...body.input, mode: choice.mode };
    const identity = newCompletionIdentity(body.model);
    if (body.stream) {
      const mapper = openAIChatStream({ identity, includeUsage: body.includeUsage, promptText: body.promptText });
      await streamSse(response, (signal) => engine.answer({ ...input, signal }), mapper);
      return;
    }
    const answer = await collectAnswer(engine.answer({ ...input, signal: clientAbortSignal(response) }));
    response.json(renderChatCompletion(answer, identity, body.promptText));
  });
  return router;
}

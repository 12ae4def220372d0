import { Router } from 'express';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import { InvalidParameterError } from '../invalid-parameter-error.js';
import { scopeOf } from '../request-scope.js';
import { availableModels, describeModels } from '../verbatim-models.js';

/**
 * GET /v1/models and /v1/models/:model: the model names this server answers with, as OpenAI lists
 * models; with several collections, each also per collection the caller's key may read.
 */
export function modelsRoute(collections: EngineRegistry): Router {
  const router = Router();
  // Models do not change while the server runs; "created" is when it started.
  const created = Math.floor(Date.now() / 1000);
  const model = (id: string) => ({ id, object: 'model' as const, created, owned_by: 'verbatim' });
  const several = () => collections.names().length > 1;

  router.get('/v1/models', (_request, response) => {
    const models = availableModels(collections.modes(), collections.readable(scopeOf(response)), several());
    response.json({ object: 'list', data: models.map(model) });
  });

  // A model id may hold a "/" (verbatim/handbook), as OpenAI's own fine-tuned ids hold ":". Every
  // id chat completions accepts is found, `verbatim/default` too where it is not listed.
  router.get('/v1/models/*model', (request, response) => {
    const models = availableModels(collections.modes(), collections.readable(scopeOf(response)), true);
    const id = ([] as string[]).concat(request.params.model as string | string[]).join('/');
    if (!models.includes(id)) {
      const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
      throw new InvalidParameterError(
        'model',
        `The model "${shown}" does not exist; available: ${describeModels(collections.modes(), several())}.`,
        404,
        'model_not_found',
      );
    }
    response.json(model(id));
  });
  return router;
}

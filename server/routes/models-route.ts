import { Router } from 'express';
import type { Engine } from '../../core/engine.js';
import { InvalidParameterError } from '../invalid-parameter-error.js';
import { availableModels } from '../verbatim-models.js';

/** GET /v1/models and /v1/models/:model: the model names this server answers with, as OpenAI lists models. */
export function modelsRoute(engine: Engine): Router {
  const router = Router();
  // Models do not change while the server runs; "created" is when it started.
  const created = Math.floor(Date.now() / 1000);
  const model = (id: string) => ({ id, object: 'model' as const, created, owned_by: 'verbatim' });

  router.get('/v1/models', (_request, response) => {
    response.json({ object: 'list', data: availableModels(engine).map(model) });
  });

  router.get('/v1/models/:model', (request, response) => {
    const models = availableModels(engine);
    const id = request.params.model as string;
    if (!models.includes(id)) {
      throw new InvalidParameterError(
        'model',
        `The model "${id}" does not exist; available: ${models.join(', ')}.`,
        404,
        'model_not_found',
      );
    }
    response.json(model(id));
  });
  return router;
}

import type { Engine } from '../core/engine.js';
import type { AnswerMode } from '../core/contracts/types.js';

/** OpenAI-style model names and the answer mode each asks for (undefined: the server's default). */
const MODELS: { id: string; mode: AnswerMode | undefined }[] = [
  { id: 'verbatim', mode: undefined },
  { id: 'verbatim-extractive', mode: 'extractive' },
  { id: 'verbatim-generative', mode: 'generative' },
];

/** The model names this engine can answer with: the generative one only when a chat model is configured. */
export function availableModels(engine: Engine): string[] {
  return MODELS.filter((model) => model.mode === undefined || engine.modes.includes(model.mode)).map((model) => model.id);
}

/** Whether `id` is one of the model names (available or not). */
export function isModelName(id: string): boolean {
  return MODELS.some((model) => model.id === id);
}

/** The answer mode a model name asks for; undefined for `verbatim` (the server's default). */
export function modeOfModel(id: string): AnswerMode | undefined {
  return MODELS.find((model) => model.id === id)?.mode;
}

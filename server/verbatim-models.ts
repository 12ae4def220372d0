import type { AnswerMode } from '../core/contracts/types.js';

/** OpenAI-style model names and the answer mode each asks for (undefined: the server's default). */
const MODELS: { id: string; mode: AnswerMode | undefined }[] = [
  { id: 'verbatim', mode: undefined },
  { id: 'verbatim-extractive', mode: 'extractive' },
  { id: 'verbatim-generative', mode: 'generative' },
];

/** A model id read: the answer mode it asks for, and the collection it names (undefined: the caller's default). */
export interface ModelChoice {
  mode: AnswerMode | undefined;
  collection: string | undefined;
}

/** The model names the server can answer with: the generative ones only when a chat model is configured. */
function baseModels(modes: readonly AnswerMode[]): string[] {
  return MODELS.filter((model) => model.mode === undefined || modes.includes(model.mode)).map((model) => model.id);
}

/**
 * The model ids to list: each model name (answering from the caller's default collection) and,
 * on a server with several collections, each name per collection the caller may read
 * (`verbatim/handbook`, `verbatim-extractive/handbook`).
 */
export function availableModels(modes: readonly AnswerMode[], collections: readonly string[], several: boolean): string[] {
  const bases = baseModels(modes);
  return several ? [...bases, ...collections.flatMap((collection) => bases.map((base) => `${base}/${collection}`))] : bases;
}

/** What a model id asks for (`verbatim-extractive/handbook`: extractive, from handbook); null when its name is none of ours. */
export function parseModelId(id: string): ModelChoice | null {
  const slash = id.indexOf('/');
  const base = slash < 0 ? id : id.slice(0, slash);
  const model = MODELS.find((candidate) => candidate.id === base);
  if (!model) return null;
  return { mode: model.mode, collection: slash < 0 ? undefined : id.slice(slash + 1) };
}

/** The model names, for a message saying which exist. */
export function describeModels(modes: readonly AnswerMode[], several: boolean): string {
  const names = baseModels(modes).join(', ');
  return several ? `${names}, each also per collection as NAME/COLLECTION (e.g. verbatim/handbook)` : names;
}

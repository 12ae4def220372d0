import type { AnswerDependencies } from '../core/answer-question.js';
import { HttpError } from './http-error.js';

/** The engine, or a 503 `index_loading` (with Retry-After) while the index is still loading. */
export function requireEngine(engine: () => AnswerDependencies | null): AnswerDependencies {
  const deps = engine();
  if (!deps) throw new HttpError(503, 'index_loading', 'The index is still loading; try again in a few seconds.', { 'Retry-After': '2' });
  return deps;
}

import type { AnswerDependencies } from '../core/answer-question.js';
import { IndexLoadingError } from './index-loading-error.js';

/** What the MCP server is wired to: the same engine and limits as the HTTP API. */
export interface McpDependencies {
  /** The answer pipeline's parts, or null while the index is loading. */
  engine: () => AnswerDependencies | null;
  limits: { maxQuestionChars: number; maxHistoryTurns: number };
  /** Receives failures that are not the caller's (stderr under stdio, the server's log over HTTP). */
  logError: (error: unknown) => void;
}

/** The engine, or IndexLoadingError while the index is still loading. */
export function requireEngine(deps: McpDependencies): AnswerDependencies {
  const engine = deps.engine();
  if (!engine) throw new IndexLoadingError();
  return engine;
}

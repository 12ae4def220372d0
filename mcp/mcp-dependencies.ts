import type { Engine } from '../core/engine.js';
import type { InputLimits } from '../core/question/parse-answer-input.js';

/** What the MCP server is wired to: the same engine and limits as the HTTP API. */
export interface McpDependencies {
  /** Its methods throw IndexLoadingError while the index loads; tools report it as an error result. */
  engine: Engine;
  limits: InputLimits;
  /** Most characters of source text one resource read returns (SOURCE_MAX_CHARS). */
  sourceMaxChars: number;
  /** Receives failures that are not the caller's (stderr under stdio, the server's log over HTTP). */
  logError: (error: unknown) => void;
}

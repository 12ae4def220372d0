import type { InputLimits } from '../core/question/parse-answer-input.js';
import type { CollectionScope, EngineRegistry } from '../runtime/engine-registry.js';

/** What the MCP server is wired to: the same engines and limits as the HTTP API. */
export interface McpDependencies {
  /** The engines by collection; each throws IndexLoadingError while it loads, which tools report as an error result. */
  collections: EngineRegistry;
  /** What the caller may read (over HTTP: its API key's collections); default: every collection. */
  scope?: CollectionScope;
  limits: InputLimits;
  /** Most characters of source text one resource read returns (SOURCE_MAX_CHARS). */
  sourceMaxChars: number;
  /** Receives failures that are not the caller's (stderr under stdio, the server's log over HTTP). */
  logError: (error: unknown) => void;
}

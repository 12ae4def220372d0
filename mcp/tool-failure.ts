import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A tool's failure as an MCP error result. Our typed errors (a fixed name and a code, such as
 * index_loading, mode_unavailable or model_unavailable) say what went wrong and how to fix it;
 * anything else is logged and reported without internals.
 */
export function toolFailure(error: unknown, logError: (error: unknown) => void): CallToolResult {
  const typed = error instanceof Error && error.name !== 'Error' && typeof (error as { code?: unknown }).code === 'string';
  if (!typed) logError(error);
  const text = typed ? (error as Error).message : 'Something went wrong on the server; the error has been logged.';
  return { content: [{ type: 'text', text }], isError: true };
}

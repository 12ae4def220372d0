import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { InvalidInputError } from '../core/contracts/invalid-input-error.js';
import { CollectionForbiddenError } from '../runtime/collection-forbidden-error.js';
import { UnknownCollectionError } from '../runtime/unknown-collection-error.js';

/** The MCP specification's error code for an unknown resource. */
export const RESOURCE_NOT_FOUND = -32002;
/** A server-defined JSON-RPC code (the -32000 range) for a resource the caller's key may not read: HTTP's 403. */
export const RESOURCE_FORBIDDEN = -32003;

/**
 * A tool's failure as an MCP error result. Our typed errors (a fixed name and a code, such as
 * index_loading, collection_forbidden, collection_not_found, mode_unavailable or
 * model_unavailable) say what went wrong and how to fix it, with their code first; anything
 * else is logged and reported without internals.
 */
export function toolFailure(error: unknown, logError: (error: unknown) => void): CallToolResult {
  if (!isTyped(error)) logError(error);
  const text = isTyped(error) ? error.message : 'Something went wrong on the server; the error has been logged.';
  return { content: [{ type: 'text', text }], isError: true };
}

/** A resource request's failure as the JSON-RPC error MCP clients raise: not found, forbidden, a bad parameter (a range, a cursor), or our typed message. */
export function resourceFailure(error: unknown, logError: (error: unknown) => void): McpError {
  if (error instanceof McpError) return error;
  if (InvalidInputError.isInstance(error)) return new McpError(ErrorCode.InvalidParams, error.message);
  if (UnknownCollectionError.isInstance(error)) return new McpError(RESOURCE_NOT_FOUND, error.message);
  if (CollectionForbiddenError.isInstance(error)) return new McpError(RESOURCE_FORBIDDEN, `Forbidden: ${error.message}`);
  if (!isTyped(error)) logError(error);
  return new McpError(-32603, isTyped(error) ? error.message : 'Something went wrong on the server; the error has been logged.');
}

/** One of our errors with a fixed name and a code. */
function isTyped(error: unknown): error is Error & { code: string } {
  return error instanceof Error && error.name !== 'Error' && typeof (error as { code?: unknown }).code === 'string';
}

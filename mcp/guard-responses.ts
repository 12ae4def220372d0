import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, isJSONRPCErrorResponse, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { boundMessage } from '../core/contracts/bound-message.js';

/** What a client gets for a request whose response could not be sent. */
const UNSENDABLE = 'The response could not be built; the error has been logged.';

/**
 * Makes every response sent through `transport` one a client can take, over any transport:
 * error messages (the SDK's own, which echo a tool name or a URI, and Verbatim's) and error
 * results are cut to MAX_ERROR_MESSAGE_CHARS; a response that cannot be sent (it cannot be
 * serialised) is logged and replaced by an internal error for the same request. The SDK would
 * otherwise drop it, and the HTTP request (or the stdio client) would wait for ever.
 */
export function guardResponses(transport: Transport, logError: (error: unknown) => void): void {
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    try {
      return await send(bounded(message), options);
    } catch (error) {
      if (!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) throw error;
      logError(error);
      return send({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCode.InternalError, message: UNSENDABLE } }, options);
    }
  };
}

function bounded(message: JSONRPCMessage): JSONRPCMessage {
  if (isJSONRPCErrorResponse(message)) return { ...message, error: { ...message.error, message: boundMessage(message.error.message) } };
  if (isJSONRPCResultResponse(message) && message.result.isError === true && Array.isArray(message.result.content)) {
    const content = (message.result.content as { type?: string; text?: unknown }[]).map((part) =>
      part.type === 'text' && typeof part.text === 'string' ? { ...part, text: boundMessage(part.text) } : part,
    );
    return { ...message, result: { ...message.result, content } };
  }
  return message;
}

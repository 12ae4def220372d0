/** Longest message an error carries on any surface (HTTP, OpenAI-style, SSE, MCP): one that echoes input stays small. */
export const MAX_ERROR_MESSAGE_CHARS = 500;

/** Characters kept from the end of a message that is cut: what follows an echoed value says what is wrong with it. */
const KEPT_TAIL = 120;

/** `message`, at most MAX_ERROR_MESSAGE_CHARS long: a longer one loses its middle (where echoed input sits) to "…". */
export function boundMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_ERROR_MESSAGE_CHARS - KEPT_TAIL - 1)}…${message.slice(-KEPT_TAIL)}`;
}

/** The headers a Streamable HTTP client sends with each JSON-RPC message. */
export const MCP_HEADERS = {
  'Content-Type': 'application/json',
  Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2025-06-18',
};

/** A JSON-RPC request as an MCP client sends it. */
export function rpcRequest(id: number, method: string, params: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id, method, params };
}

/**
 * Posts `body` (one JSON-RPC message, or a batch) to `${base}/mcp` and returns the status and the
 * parsed reply; gives up after `timeoutMs`, so a reply that never comes fails the test instead of
 * hanging it.
 */
export async function postMcp(
  base: string,
  body: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ status: number; reply: unknown }> {
  const response = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { ...MCP_HEADERS, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, reply: text ? JSON.parse(text) : null };
}

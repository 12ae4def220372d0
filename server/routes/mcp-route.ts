import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { Router } from 'express';
import { createMcpServer } from '../../mcp/create-mcp-server.js';
import { guardResponses } from '../../mcp/guard-responses.js';
import type { McpDependencies } from '../../mcp/mcp-dependencies.js';
import { HttpError } from '../http-error.js';
import { rejectForeignOrigin } from '../reject-foreign-origin.js';

export interface McpRouteOptions extends McpDependencies {
  bodyLimit: string;
  /** Browser origins allowed to call /mcp (CORS_ORIGINS); requests from any other origin are refused. */
  allowedOrigins: string[];
}

/**
 * POST /mcp: the MCP server over Streamable HTTP, stateless (a server and transport per request,
 * JSON responses), so any instance can answer any request. GET streams and sessions are not
 * offered: 405, which MCP clients take as "no server-initiated stream".
 */
export function mcpRoute(options: McpRouteOptions): Router {
  const router = Router();
  router.use('/mcp', rejectForeignOrigin(options.allowedOrigins), express.json({ limit: options.bodyLimit }));

  router.post('/mcp', async (request, response) => {
    const server = createMcpServer(options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    guardResponses(transport, options.logError);
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  });

  router.all('/mcp', () => {
    throw new HttpError(405, 'method_not_allowed', 'The MCP endpoint is stateless: POST JSON-RPC messages to /mcp.', { Allow: 'POST' });
  });
  return router;
}

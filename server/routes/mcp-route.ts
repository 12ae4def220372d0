import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import express, { Router, type RequestHandler } from 'express';
import { createMcpServer } from '../../mcp/create-mcp-server.js';
import { guardResponses } from '../../mcp/guard-responses.js';
import type { McpDependencies } from '../../mcp/mcp-dependencies.js';
import { HttpError } from '../http-error.js';
import { rejectForeignOrigin } from '../reject-foreign-origin.js';
import { scopeOf } from '../request-scope.js';

export interface McpRouteOptions extends Omit<McpDependencies, 'scope'> {
  bodyLimit: string;
  /** Browser origins allowed to call /mcp (CORS_ORIGINS); requests from any other origin are refused. */
  allowedOrigins: string[];
}

/**
 * POST /mcp: the MCP server over Streamable HTTP, stateless (a server and transport per request,
 * JSON responses), so any instance can answer any request. GET streams and sessions are not
 * offered: 405, which MCP clients take as "no server-initiated stream". One JSON-RPC message a
 * request: batches are refused, so each message is one request to the rate limit.
 */
export function mcpRoute(options: McpRouteOptions): Router {
  const router = Router();
  router.use('/mcp', rejectForeignOrigin(options.allowedOrigins), express.json({ limit: options.bodyLimit }));

  router.post('/mcp', refuseBatches, async (request, response) => {
    // Tools and resources see only what the request's API key may read.
    const server = createMcpServer({ ...options, scope: scopeOf(response) });
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

/**
 * A JSON-RPC batch would count as one request against the rate limit however many calls it
 * holds (up to the SDK's 100: a hundred answers, or model calls, for one). MCP dropped batches in
 * its 2025-06-18 revision and the SDK's clients never send them, so they are refused, in the
 * protocol's own shape.
 */
const refuseBatches: RequestHandler = (request, response, next) => {
  if (!Array.isArray(request.body)) return next();
  response.status(400).json({
    jsonrpc: '2.0',
    id: null,
    error: {
      code: ErrorCode.InvalidRequest,
      message: 'JSON-RPC batches are not accepted: send one message a request (each counts against the rate limit).',
    },
  });
};

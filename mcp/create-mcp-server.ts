import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAnswerQuestionTool } from './answer-question-tool.js';
import { registerDocumentResources } from './document-resources.js';
import type { McpDependencies } from './mcp-dependencies.js';
import { registerSearchPassagesTool } from './search-passages-tool.js';

/**
 * Verbatim as an MCP server: tools `answer_question` and `search_passages`, and the source
 * documents as resources. Transport-free: `npm run mcp` connects it to stdio, the HTTP server
 * to Streamable HTTP at /mcp.
 */
export function createMcpServer(deps: McpDependencies): McpServer {
  const server = new McpServer(
    // The package's version (package.json), shown by clients beside the name.
    { name: 'verbatim', version: '0.1.0' },
    {
      instructions:
        'Verbatim answers questions from fixed sets of documents (collections) with verified citations. Use answer_question ' +
        'for answers, search_passages to find passages, and the source resources for the full text citations point into. ' +
        'Each tool takes an optional collection; without one it reads the default collection.',
    },
  );
  registerAnswerQuestionTool(server, deps);
  registerSearchPassagesTool(server, deps);
  registerDocumentResources(server, deps);
  return server;
}

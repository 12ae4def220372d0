import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpDependencies } from './mcp-dependencies.js';

/** The MCP specification's error code for an unknown resource. */
const RESOURCE_NOT_FOUND = -32002;

/** A document's resource URI: `verbatim://sources/<docId>`, each path segment percent-encoded. */
export function sourceUri(docId: string): string {
  return `verbatim://sources/${docId.split('/').map(encodeURIComponent).join('/')}`;
}

/** Every stored document as a resource: the exact text citation offsets point into. */
export function registerDocumentResources(server: McpServer, deps: McpDependencies): void {
  server.registerResource(
    'source',
    new ResourceTemplate('verbatim://sources/{+docId}', {
      list: async () => ({
        resources: (await deps.engine.sources()).map((document) => ({
          uri: sourceUri(document.docId),
          name: document.docId,
          title: document.title,
          mimeType: 'text/plain',
          size: document.characters,
        })),
      }),
    }),
    {
      title: 'Source document',
      description: 'The stored text of a source document; citation offsets (start, end) point into it.',
      mimeType: 'text/plain',
    },
    async (uri, variables) => {
      const docId = String(variables.docId).split('/').map(decodeURIComponent).join('/');
      const document = await deps.engine.source(docId, (characters) => ({ start: 0, end: characters }));
      if (!document) throw new McpError(RESOURCE_NOT_FOUND, `No source with id "${docId}".`);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: document.text }] };
    },
  );
}

import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, ListResourcesRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { InvalidInputError } from '../core/contracts/invalid-input-error.js';
import { pageList } from '../runtime/page-list.js';
import { sourceRange } from '../runtime/source-range.js';
import type { McpDependencies } from './mcp-dependencies.js';

/** The MCP specification's error code for an unknown resource. */
const RESOURCE_NOT_FOUND = -32002;

/** A document's resource URI: `verbatim://sources/<docId>`, each path segment percent-encoded. */
export function sourceUri(docId: string): string {
  return `verbatim://sources/${docId.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Every stored document as a resource: the exact text citation offsets point into, a range at a
 * time like GET /v1/sources/:docId (at most SOURCE_MAX_CHARS characters a read; `?start=&end=`
 * or `?around=&chars=` in the URI ask for a range, and each read's `_meta` says which it holds
 * and where the next starts). resources/list gives a page at a time, with a cursor to the next.
 */
export function registerDocumentResources(server: McpServer, deps: McpDependencies): void {
  const template = new ResourceTemplate('verbatim://sources/{+docId}', { list: undefined });
  server.registerResource(
    'source',
    template,
    {
      title: 'Source document',
      description:
        `The stored text of a source document; citation offsets (start, end) point into it. At most ${deps.sourceMaxChars} ` +
        'characters a read: add ?start=S&end=E (or ?around=N&chars=C) to the URI for a range; _meta gives start, end, ' +
        'characters (the whole length) and next (where the following range starts, null at the end).',
      mimeType: 'text/plain',
    },
    async (uri) => {
      // The id is the URI's path: `{+docId}` would also take in the query that asks for a range.
      const docId = uri.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
      const query = Object.fromEntries(uri.searchParams);
      const document = await asMcpError(() =>
        deps.engine.source(docId, (characters) => sourceRange(query, characters, deps.sourceMaxChars)),
      );
      if (!document) throw new McpError(RESOURCE_NOT_FOUND, `No source with id "${docId}".`);
      const { start, end, characters } = document;
      const range = { start, end, characters, next: end < characters ? end : null };
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: document.text, _meta: range }] };
    },
  );
  // The SDK's own list handler takes no cursor: this one replaces it and gives a page at a time.
  server.server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
    const documents = await deps.engine.sources();
    const { items, nextCursor } = await asMcpError(async () => pageList(documents, (document) => document.docId, request.params?.cursor));
    return {
      resources: items.map((document) => ({
        uri: sourceUri(document.docId),
        name: document.docId,
        title: document.title,
        mimeType: 'text/plain',
        size: document.characters,
      })),
      ...(nextCursor ? { nextCursor } : {}),
    };
  });
}

/** Runs `work`, reporting a bad parameter (a range, a cursor) as MCP's invalid-params error. */
async function asMcpError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw new McpError(ErrorCode.InvalidParams, error.message);
    throw error;
  }
}

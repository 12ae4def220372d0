import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { McpError, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_COLLECTION } from '../config/collection-name.js';
import type { McpDependencies } from './mcp-dependencies.js';
import { RESOURCE_NOT_FOUND, resourceFailure } from './tool-failure.js';

/** A document's resource URI: `verbatim://sources/<docId>` in the default collection, `verbatim://collections/<name>/sources/<docId>` in another; each path segment percent-encoded. */
export function sourceUri(docId: string, collection = DEFAULT_COLLECTION): string {
  const path = docId.split('/').map(encodeURIComponent).join('/');
  return collection === DEFAULT_COLLECTION ? `verbatim://sources/${path}` : `verbatim://collections/${collection}/sources/${path}`;
}

/**
 * Every stored document as a resource (the exact text citation offsets point into), grouped by
 * collection: the default collection's at `verbatim://sources/…` (as before collections), each
 * other's under `verbatim://collections/<name>/sources/…`. Lists hold only the collections the
 * caller may read; reading any other is refused as forbidden.
 */
export function registerDocumentResources(server: McpServer, deps: McpDependencies): void {
  const resources = async (collection: string): Promise<Resource[]> =>
    (await deps.collections.resolve(collection, deps.scope).sources()).map((document) => ({
      uri: sourceUri(document.docId, collection),
      name: document.docId,
      title: document.title,
      description: collection === DEFAULT_COLLECTION ? undefined : `In the collection ${collection}`,
      mimeType: 'text/plain',
      size: document.characters,
    }));
  const read = async (uri: URL, collection: string, docId: string) => {
    try {
      const document = await deps.collections
        .resolve(collection, deps.scope)
        .source(docId, (characters) => ({ start: 0, end: characters }));
      if (!document) throw new McpError(RESOURCE_NOT_FOUND, `No source with id "${docId}".`);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: document.text }] };
    } catch (error) {
      throw resourceFailure(error, deps.logError);
    }
  };
  const decode = (docId: unknown) => String(docId).split('/').map(decodeURIComponent).join('/');

  server.registerResource(
    'source',
    new ResourceTemplate('verbatim://sources/{+docId}', {
      list: async () => ({
        resources: deps.collections.readable(deps.scope).includes(DEFAULT_COLLECTION) ? await resources(DEFAULT_COLLECTION) : [],
      }),
    }),
    {
      title: 'Source document',
      description: 'The stored text of a source document of the default collection; citation offsets (start, end) point into it.',
      mimeType: 'text/plain',
    },
    (uri, variables) => read(uri, DEFAULT_COLLECTION, decode(variables.docId)),
  );

  server.registerResource(
    'collection-source',
    new ResourceTemplate('verbatim://collections/{collection}/sources/{+docId}', {
      list: async () => {
        const others = deps.collections.readable(deps.scope).filter((name) => name !== DEFAULT_COLLECTION);
        // A collection still loading, or unavailable, is left out of the list rather than failing it.
        const listed = await Promise.all(others.map((name) => resources(name).catch(() => [])));
        return { resources: listed.flat() };
      },
    }),
    {
      title: 'Source document of a collection',
      description: 'The stored text of a source document of the named collection; citation offsets (start, end) point into it.',
      mimeType: 'text/plain',
    },
    (uri, variables) => read(uri, String(variables.collection), decode(variables.docId)),
  );
}

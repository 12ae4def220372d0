import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListResourcesRequestSchema, McpError, type Resource } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_COLLECTION } from '../config/collection-name.js';
import { pageList } from '../runtime/page-list.js';
import { sourceRange } from '../runtime/source-range.js';
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
 * other's under `verbatim://collections/<name>/sources/…`. A read gives a range at a time like
 * GET /v1/sources/:docId: at most SOURCE_MAX_CHARS characters; `?start=&end=` or `?around=&chars=`
 * in the URI ask for a range, and each read's `_meta` says which it holds and where the next
 * starts. resources/list gives a page at a time, with a cursor to the next, and holds only the
 * collections the caller may read; reading any other is refused as forbidden.
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
      const query = Object.fromEntries(uri.searchParams);
      const document = await deps.collections
        .resolve(collection, deps.scope)
        .source(docId, (characters) => sourceRange(query, characters, deps.sourceMaxChars));
      if (!document) throw new McpError(RESOURCE_NOT_FOUND, `No source with id "${docId}".`);
      const { start, end, characters } = document;
      const range = { start, end, characters, next: end < characters ? end : null };
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: document.text, _meta: range }] };
    } catch (error) {
      throw resourceFailure(error, deps.logError);
    }
  };
  // The id is the URI's path after `skip` segments: `{+docId}` would also take in the query that asks for a range.
  const docIdIn = (uri: URL, skip: number) =>
    uri.pathname
      .split('/')
      .slice(1 + skip)
      .map(decodeURIComponent)
      .join('/');
  const readDescription =
    `At most ${deps.sourceMaxChars} characters a read: add ?start=S&end=E (or ?around=N&chars=C) to the URI for a range; ` +
    '_meta gives start, end, characters (the whole length) and next (where the following range starts, null at the end).';

  server.registerResource(
    'source',
    new ResourceTemplate('verbatim://sources/{+docId}', { list: undefined }),
    {
      title: 'Source document',
      description: `The stored text of a source document of the default collection; citation offsets (start, end) point into it. ${readDescription}`,
      mimeType: 'text/plain',
    },
    (uri) => read(uri, DEFAULT_COLLECTION, docIdIn(uri, 0)),
  );

  server.registerResource(
    'collection-source',
    new ResourceTemplate('verbatim://collections/{collection}/sources/{+docId}', { list: undefined }),
    {
      title: 'Source document of a collection',
      description: `The stored text of a source document of the named collection; citation offsets (start, end) point into it. ${readDescription}`,
      mimeType: 'text/plain',
    },
    // The path is /<collection>/sources/<docId>.
    (uri, variables) => read(uri, String(variables.collection), docIdIn(uri, 2)),
  );

  // The SDK's own list handler takes no cursor: this one replaces it and gives a page at a time.
  server.server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
    try {
      const readable = deps.collections.readable(deps.scope);
      const others = readable.filter((name) => name !== DEFAULT_COLLECTION);
      const listed = await Promise.all([
        readable.includes(DEFAULT_COLLECTION) ? resources(DEFAULT_COLLECTION) : [],
        // A collection still loading, or unavailable, is left out of the list rather than failing it.
        ...others.map((name) => resources(name).catch(() => [])),
      ]);
      const { items, nextCursor } = pageList(listed.flat(), (resource) => resource.uri, request.params?.cursor);
      return { resources: items, ...(nextCursor ? { nextCursor } : {}) };
    } catch (error) {
      throw resourceFailure(error, deps.logError);
    }
  });
}

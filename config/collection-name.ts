/** The collection every surface reads when a request names none: today's INDEX_DIR and CORPUS_DIR. */
export const DEFAULT_COLLECTION = 'default';

/**
 * What a collection name may be: lower-case letters, digits, `-` and `_`, starting with a letter
 * or digit, at most 64 characters. It is a folder name under COLLECTIONS_INDEX_DIR and part of a
 * model id (`verbatim/handbook`) and an MCP resource URI, so it needs no escaping in any of them.
 */
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Whether `name` can name a collection. */
export function isCollectionName(name: string): boolean {
  return NAME.test(name);
}

/** What a collection name may be, for messages. */
export const COLLECTION_NAME_RULE = 'lower-case letters, digits, - and _ (starting with a letter or digit), at most 64 characters';

import type { StoredDocument } from '../../core/types.js';

/** A stored plain-text document with no blocks, for tests that need only its id, title and text. */
export function plainDocument(docId: string, text: string, title = docId): StoredDocument {
  return { docId, title, text, hash: '', path: docId, url: null, kind: 'text', pages: null, blocks: [] };
}

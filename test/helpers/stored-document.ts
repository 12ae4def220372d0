import type { UnitSource } from '../../core/units/answer-units.js';
import { chunkBlocks, sliceText, storedChunk } from '../../core/chunks/stored-chunk.js';
import type { Passage, StoredDocument } from '../../core/contracts/types.js';
import { citationVerifier, type CitationVerifier } from '../../core/citations/verify-citations.js';
import { readDocument } from '../../ingest/read-document.js';

/** A stored plain-text document with no blocks, for tests that need only its id, title and text. */
export function plainDocument(docId: string, text: string, title = docId): StoredDocument {
  return { docId, title, text, hash: '', path: docId, url: null, kind: 'text', pages: null, blocks: [] };
}

/** A document as ingest stores a file of this name (Markdown by its blocks, plain text as text). */
export async function readStoredDocument(docId: string, text: string, title = docId): Promise<StoredDocument> {
  const read = await readDocument(docId, Buffer.from(text));
  if ('skip' in read) throw new Error(`ingest would skip ${docId}: ${read.skip}`);
  return { docId, title, text: read.text, hash: '', path: docId, url: null, kind: read.kind, pages: read.pages, blocks: read.blocks };
}

/** One passage over `[start, end)` of a stored document, with the blocks its units are cut from. */
export function unitSourceOf(document: StoredDocument, start = 0, end = document.text.length): UnitSource {
  const passage: Passage = {
    chunkId: `${document.docId}#0`,
    docId: document.docId,
    title: document.title,
    start,
    end,
    score: 1,
    text: document.text.slice(start, end),
    path: document.path,
    url: document.url,
    page: null,
    headingPath: [],
  };
  return { passage, structured: document.kind === 'markdown' || document.kind === 'html', ...chunkBlocks(document, { start, end }) };
}

/** A citation verifier over whole stored documents (each one retrieved chunk), reading their text as a store would. */
export function verifierFor(documents: StoredDocument[]): CitationVerifier {
  const byId = new Map(documents.map((document) => [document.docId, document]));
  const chunks = documents.map((document) =>
    storedChunk(
      { chunkId: `${document.docId}#0`, docId: document.docId, start: 0, end: document.text.length, text: document.text },
      document,
    ),
  );
  const getText = async (docId: string, start: number, end: number) => {
    const document = byId.get(docId);
    return document && sliceText(document.text, start, end);
  };
  return citationVerifier({ getText }, chunks);
}

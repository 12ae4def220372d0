import type { DocumentSummary, StoredChunk } from './passage-store.js';
import { blocksInRange, placeInDocument } from './place-in-document.js';
import type { Chunk, StoredDocument } from './types.js';

/** A chunk as a store returns it: with its document's title, its place where it starts, and the blocks it overlaps. */
export function storedChunk(chunk: Chunk, document: StoredDocument): StoredChunk {
  return {
    ...chunk,
    title: document.title,
    ...placeInDocument(document, chunk.start),
    blocks: blocksInRange(document.blocks, chunk.start, chunk.end),
  };
}

/** A document as a store lists it: no text or blocks, its chunk count. */
export function documentSummary(document: StoredDocument, chunks: number): DocumentSummary {
  const { docId, title, text, path, url, kind, pages, hash } = document;
  return { docId, title, characters: text.length, path, url, kind, pages, chunks, hash };
}

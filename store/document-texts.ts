import type { BlockText } from '../core/contracts/passage-store.js';
import type { Block, StoredDocument } from '../core/contracts/types.js';
import { blocksInRange, firstBlockEndingAfter } from '../core/chunks/place-in-document.js';
import { chunkBlocks } from '../core/chunks/stored-chunk.js';

/** What a chunk carries of its document's blocks (core/chunks/stored-chunk.ts), and the block its place is taken from. */
export interface ChunkParts {
  blocks: BlockText[];
  framing: BlockText[];
  /** The block holding the chunk's first character (or the next after it; after the last, the last): its page and headings. */
  place: Block | undefined;
}

/**
 * Where a store reads its documents' text and blocks from, by document position, a range at a
 * time: a request reads what it shows, never a whole document. Ranges are valid ones
 * (0 ≤ start ≤ end ≤ characters); the store checks them first.
 */
export interface DocumentTexts {
  /** `text.slice(start, end)` of a document. */
  text(document: number, start: number, end: number): Promise<string>;
  /** The blocks of a document that overlap `[start, end)`, in order. */
  blocks(document: number, start: number, end: number): Promise<Block[]>;
  /** The blocks chunk `chunk` (a position in the index) of `document` carries, over `[start, end)`. */
  chunkParts(chunk: number, document: number, start: number, end: number): Promise<ChunkParts>;
}

/** Texts and blocks held in memory (an index just built). */
export function memoryTexts(documents: readonly Pick<StoredDocument, 'text' | 'blocks'>[]): DocumentTexts {
  return {
    text: async (document, start, end) => documents[document].text.slice(start, end),
    blocks: async (document, start, end) => blocksInRange(documents[document].blocks, start, end),
    async chunkParts(_chunk, document, start, end) {
      const stored = documents[document];
      const { blocks } = stored;
      return { ...chunkBlocks(stored, { start, end }), place: blocks[firstBlockEndingAfter(blocks, start)] ?? blocks.at(-1) };
    },
  };
}

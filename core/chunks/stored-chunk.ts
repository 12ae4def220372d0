import type { BlockText, DocumentSummary, StoredChunk } from '../contracts/passage-store.js';
import { firstBlockEndingAfter, placeInDocument } from './place-in-document.js';
import type { Block, Chunk, StoredDocument } from '../contracts/types.js';

/** How far back (in blocks) the framing of a chunk is looked for: bounds the work on a huge table or a heading-less document. */
const MAX_FRAMING_LOOKBACK = 10_000;

/** A chunk as a store returns it: with its document's title, its place where it starts, its blocks and their framing. */
export function storedChunk(chunk: Chunk, document: StoredDocument): StoredChunk {
  return {
    ...chunk,
    title: document.title,
    kind: document.kind,
    ...placeInDocument(document, chunk.start),
    ...chunkBlocks(document, chunk),
  };
}

/**
 * Characters of a long block given on each side of the chunk it comes with: a chunk never carries
 * more of a block than it can answer from, however long the block (a one-line document is one
 * paragraph), so a store reads the ranges it shows, never whole documents.
 */
export const BLOCK_MARGIN = 4_000;

/**
 * The part of `block` a chunk carries: the whole block when it is at most 2 × BLOCK_MARGIN
 * characters long; else its part within BLOCK_MARGIN of the chunk, or, for a block before the
 * chunk (framing), its last 2 × BLOCK_MARGIN characters.
 */
export function blockWindow(block: Pick<Block, 'start' | 'end'>, chunk: Pick<Chunk, 'start' | 'end'>): { start: number; end: number } {
  if (block.end - block.start <= 2 * BLOCK_MARGIN) return { start: block.start, end: block.end };
  if (block.end <= chunk.start) return { start: block.end - 2 * BLOCK_MARGIN, end: block.end };
  return { start: Math.max(block.start, chunk.start - BLOCK_MARGIN), end: Math.min(block.end, chunk.end + BLOCK_MARGIN) };
}

/** Which blocks of a document a chunk carries, by index: those it overlaps (`first`, `count`), and its framing, in order. */
export interface ChunkBlockIndices {
  first: number;
  count: number;
  framing: number[];
}

/**
 * The blocks a chunk overlaps, and the blocks before it that frame its first ones (the nearest
 * heading above, the header row of a table it continues, the block right before it), by index
 * into `blocks`: what a store keeps per chunk to read them back alone.
 */
export function chunkBlockIndices(blocks: readonly Block[], chunk: Pick<Chunk, 'start' | 'end'>): ChunkBlockIndices {
  const first = firstBlockEndingAfter(blocks, chunk.start);
  let count = 0;
  while (first + count < blocks.length && blocks[first + count].start < chunk.end) count++;
  const framing = new Set<number>();
  if (count > 0 && first > 0) {
    framing.add(first - 1);
    const floor = Math.max(0, first - MAX_FRAMING_LOOKBACK);
    if (blocks[first].headingPath.length > 0 && blocks[first].kind !== 'heading') {
      for (let i = first - 1; i >= floor; i--) {
        if (blocks[i].kind === 'heading') {
          framing.add(i);
          break;
        }
      }
    }
    if (blocks[first].kind === 'table-row') {
      let header = first;
      while (header > floor && blocks[header - 1].kind === 'table-row') header--;
      if (header < first) framing.add(header);
    }
  }
  return { first, count, framing: [...framing].sort((a, b) => a - b) };
}

/**
 * The blocks a chunk overlaps, and the blocks before it that frame its first ones (the nearest
 * heading above, the header row of a table it continues, the block right before it), each with
 * its exact text, a long one as the window of it near the chunk (`blockWindow`): what answer
 * units are cut from (core/units/answer-units.ts).
 */
export function chunkBlocks(
  document: Pick<StoredDocument, 'text' | 'blocks'>,
  chunk: Pick<Chunk, 'start' | 'end'>,
): Pick<StoredChunk, 'blocks' | 'framing'> {
  const { blocks, text } = document;
  const { first, count, framing } = chunkBlockIndices(blocks, chunk);
  const withText = (block: Block): BlockText => {
    const { start, end } = blockWindow(block, chunk);
    return { ...block, start, end, text: text.slice(start, end) };
  };
  return {
    blocks: blocks.slice(first, first + count).map(withText),
    framing: framing.map((i) => withText(blocks[i])),
  };
}

/** A document as a store lists it: no text or blocks, its chunk count. */
export function documentSummary(document: StoredDocument, chunks: number): DocumentSummary {
  const { docId, title, text, path, url, kind, pages, hash } = document;
  return { docId, title, characters: text.length, path, url, kind, pages, chunks, hash };
}

/** `text.slice(start, end)` when the range lies within the text (the port's getText rule); undefined otherwise. */
export function sliceText(text: string, start: number, end: number): string | undefined {
  const valid = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length;
  return valid ? text.slice(start, end) : undefined;
}

import type { BlockText, DocumentSummary, StoredChunk } from '../contracts/passage-store.js';
import { blocksInRange, placeInDocument } from './place-in-document.js';
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
 * The blocks a chunk overlaps, and the blocks before it that frame its first ones (the nearest
 * heading above, the header row of a table it continues, the block right before it), each with
 * its exact text: what answer units are cut from (core/units/answer-units.ts).
 */
export function chunkBlocks(
  document: Pick<StoredDocument, 'text' | 'blocks'>,
  chunk: Pick<Chunk, 'start' | 'end'>,
): Pick<StoredChunk, 'blocks' | 'framing'> {
  const { blocks, text } = document;
  const overlapping = blocksInRange(blocks, chunk.start, chunk.end);
  const first = overlapping.length > 0 ? blocks.indexOf(overlapping[0]) : -1;
  const framing = new Set<number>();
  if (first > 0) {
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
  const withText = (block: Block): BlockText => ({ ...block, text: text.slice(block.start, block.end) });
  return {
    blocks: overlapping.map(withText),
    framing: [...framing].sort((a, b) => a - b).map((i) => withText(blocks[i])),
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

import type { Block, SourcePlace, StoredDocument } from '../contracts/types.js';

/**
 * Where `offset` sits in a document: its path (and URL), and the page and heading path of the block
 * holding it (or, between blocks, of the next block; after the last, of the last).
 */
export function placeInDocument(document: Pick<StoredDocument, 'path' | 'url' | 'blocks'>, offset: number): SourcePlace {
  const { blocks } = document;
  const block = blocks[firstBlockEndingAfter(blocks, offset)] ?? blocks.at(-1);
  return { path: document.path, url: document.url, page: block?.page ?? null, headingPath: block?.headingPath ?? [] };
}

/** The blocks that overlap `[start, end)`, in document order. */
export function blocksInRange(blocks: readonly Block[], start: number, end: number): Block[] {
  const found: Block[] = [];
  for (let i = firstBlockEndingAfter(blocks, start); i < blocks.length && blocks[i].start < end; i++) found.push(blocks[i]);
  return found;
}

/** Index of the first block whose end lies after `offset` (blocks are sorted and disjoint), or blocks.length. */
export function firstBlockEndingAfter(blocks: readonly Block[], offset: number): number {
  let low = 0;
  let high = blocks.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (blocks[middle].end <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

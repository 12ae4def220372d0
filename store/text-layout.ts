/**
 * How texts and blocks lie on disk (index format 5), so a store reads a range without its
 * document: texts.bin holds each document's UTF-8 text; text-index.bin, every
 * TEXT_CHECKPOINT_CHARS characters of each document, the character offset, byte offset and first
 * block there; blocks.jsonl one block a line; block-offsets.bin where each line starts;
 * chunk-blocks.bin, for each chunk, the blocks it carries (core/chunks/stored-chunk.ts).
 */

/** Characters between two checkpoints of text-index.bin: a range read decodes at most this many extra on each side. */
export const TEXT_CHECKPOINT_CHARS = 4096;

/** text-index.bin: per checkpoint, its character offset, its byte offset (from the document's first byte) and the first block (of the document's) ending after it. */
export const CHECKPOINT_FIELDS = 3;

/** chunk-blocks.bin: per chunk, its first overlapping block and their count (from the document's first block), and three framing blocks. */
export const CHUNK_BLOCK_FIELDS = 5;

/** A framing slot of chunk-blocks.bin that holds no block. */
export const NO_BLOCK = 0xffffffff;

/** Where one document lies in the text and block files. */
export interface TextSpan {
  /** Its text in texts.bin. */
  byteOffset: number;
  byteLength: number;
  /** Its blocks: lines firstBlock .. firstBlock + blockCount - 1 of blocks.jsonl. */
  firstBlock: number;
  blockCount: number;
  characters: number;
}

/** How many checkpoints a document of `characters` has in text-index.bin (one at 0, one every TEXT_CHECKPOINT_CHARS). */
export function checkpointCount(characters: number): number {
  return Math.floor(characters / TEXT_CHECKPOINT_CHARS) + 1;
}

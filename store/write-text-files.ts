import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkBlockIndices } from '../core/chunks/stored-chunk.js';
import type { StoredDocument } from '../core/contracts/types.js';
import { CHECKPOINT_FIELDS, CHUNK_BLOCK_FIELDS, NO_BLOCK, TEXT_CHECKPOINT_CHARS, checkpointCount, type TextSpan } from './text-layout.js';

/** The files write-text-files writes, as INDEX_FILES names them. */
export interface TextFileNames {
  texts: string;
  textIndex: string;
  blocks: string;
  blockOffsets: string;
  chunkBlocks: string;
}

/**
 * Writes the documents' texts and blocks into `staging` in the ranged layout (store/text-layout.ts),
 * document by document (a large corpus exceeds what one string can hold), and for each chunk
 * (`chunkBounds`: start, end of chunk i at 2i, 2i + 1, documents' chunks in order) the blocks it
 * carries. Returns where each document lies.
 */
export async function writeTextFiles(
  staging: string,
  names: TextFileNames,
  documents: readonly (Pick<StoredDocument, 'text' | 'blocks'> & { chunks: number })[],
  chunkBounds: Uint32Array,
): Promise<TextSpan[]> {
  const order = [names.texts, names.textIndex, names.blocks, names.blockOffsets, names.chunkBlocks];
  const files = await Promise.all(order.map((name) => open(join(staging, name), 'w')));
  const [texts, textIndex, blocks, blockOffsets, chunkBlocks] = files;
  try {
    const spans: TextSpan[] = [];
    let byteOffset = 0;
    let blockLine = 0;
    let blockByte = 0;
    let chunk = 0;
    for (const { text, blocks: documentBlocks, chunks } of documents) {
      const textBytes = Buffer.from(text, 'utf8');
      await texts.write(textBytes);
      await textIndex.write(bytesOf(checkpoints(text, documentBlocks)));
      const lines = documentBlocks.map((block) => Buffer.from(`${JSON.stringify(block)}\n`, 'utf8'));
      const offsets = new Float64Array(lines.length);
      lines.forEach((line, i) => {
        offsets[i] = blockByte;
        blockByte += line.length;
      });
      await writeAll(blocks, lines);
      await blockOffsets.write(bytesOf(offsets));
      const records = new Uint32Array(chunks * CHUNK_BLOCK_FIELDS);
      for (let n = 0; n < chunks; n++, chunk++) {
        const { first, count, framing } = chunkBlockIndices(documentBlocks, {
          start: chunkBounds[2 * chunk],
          end: chunkBounds[2 * chunk + 1],
        });
        records.set([first, count, framing[0] ?? NO_BLOCK, framing[1] ?? NO_BLOCK, framing[2] ?? NO_BLOCK], n * CHUNK_BLOCK_FIELDS);
      }
      await chunkBlocks.write(bytesOf(records));
      spans.push({
        byteOffset,
        byteLength: textBytes.length,
        firstBlock: blockLine,
        blockCount: documentBlocks.length,
        characters: text.length,
      });
      byteOffset += textBytes.length;
      blockLine += documentBlocks.length;
    }
    // The end of the last line, so every line's length is the next offset minus its own.
    await blockOffsets.write(bytesOf(Float64Array.of(blockByte)));
    return spans;
  } finally {
    await Promise.all(files.map((file) => file.close()));
  }
}

/**
 * A document's checkpoints: every TEXT_CHECKPOINT_CHARS characters, the offset in characters, in
 * UTF-8 bytes, and the first block ending after it. A checkpoint that would split a surrogate
 * pair sits one character earlier, at the start of the pair, where a UTF-8 read can begin.
 */
function checkpoints(text: string, blocks: readonly { end: number }[]): Uint32Array {
  const count = checkpointCount(text.length);
  const out = new Uint32Array(count * CHECKPOINT_FIELDS);
  let character = 0;
  let byte = 0;
  let block = 0;
  for (let i = 0; i < count; i++) {
    let at = i * TEXT_CHECKPOINT_CHARS;
    if (at > 0 && at < text.length && isLowSurrogate(text.charCodeAt(at)) && isHighSurrogate(text.charCodeAt(at - 1))) at--;
    byte += Buffer.byteLength(text.slice(character, at), 'utf8');
    character = at;
    while (block < blocks.length && blocks[block].end <= at) block++;
    out.set([at, byte, block], i * CHECKPOINT_FIELDS);
  }
  return out;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

async function writeAll(file: FileHandle, buffers: Buffer[]): Promise<void> {
  // Batched: one write a line would be a system call a block.
  for (let i = 0; i < buffers.length; i += 4096) await file.write(Buffer.concat(buffers.slice(i, i + 4096)));
}

function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

import { closeSync, read } from 'node:fs';
import { promisify } from 'node:util';
import type { BlockText } from '../core/contracts/passage-store.js';
import { blockWindow } from '../core/chunks/stored-chunk.js';
import type { Block } from '../core/contracts/types.js';
import type { ChunkParts, DocumentTexts } from './document-texts.js';
import { CHECKPOINT_FIELDS, CHUNK_BLOCK_FIELDS, NO_BLOCK, TEXT_CHECKPOINT_CHARS, checkpointCount, type TextSpan } from './text-layout.js';

const readAt = promisify(read);

/** Open descriptors of a generation's text and block files, each verified against its checksum. */
export interface TextFiles {
  texts: number;
  blocks: number;
  blockOffsets: number;
  chunkBlocks: number;
}

/** Blocks read at a time when a range's blocks are scanned for. */
const BLOCK_BATCH = 128;

const openFiles = new FinalizationRegistry<number[]>((fds) => fds.forEach((fd) => closeSync(fd)));

/**
 * Texts and blocks read a range at a time from a generation's files (store/text-layout.ts): a
 * chunk reads its own text and the windows of the blocks it carries, a sources request the range
 * it shows, never a whole document, so 60 answers over a 50 MB document read kilobytes each, and
 * the event loop never decodes megabytes for one of them. `checkpoints` (text-index.bin, a few
 * bytes every 4096 characters) is held in memory; everything else stays on disk and in the page
 * cache. Reading through descriptors opened once means a reload that swaps a new generation in
 * never mixes its files with this one's offsets; they close when these texts (and so the store
 * holding them) are collected.
 */
export function fileTexts(files: TextFiles, spans: readonly TextSpan[], checkpoints: Uint32Array): DocumentTexts {
  const firstCheckpoint = new Uint32Array(spans.length);
  for (let d = 1; d < spans.length; d++) firstCheckpoint[d] = firstCheckpoint[d - 1] + checkpointCount(spans[d - 1].characters);
  /** Checkpoint `i` of document `d`, or the document's end past its last. */
  const checkpoint = (d: number, i: number) => {
    if (i >= checkpointCount(spans[d].characters))
      return { character: spans[d].characters, byte: spans[d].byteLength, block: spans[d].blockCount };
    const at = (firstCheckpoint[d] + i) * CHECKPOINT_FIELDS;
    return { character: checkpoints[at], byte: checkpoints[at + 1], block: checkpoints[at + 2] };
  };

  const text = async (d: number, start: number, end: number): Promise<string> => {
    if (start >= end) return '';
    const from = checkpoint(d, Math.floor(start / TEXT_CHECKPOINT_CHARS));
    const to = checkpoint(d, Math.floor(end / TEXT_CHECKPOINT_CHARS) + 1);
    const bytes = await readRange(files.texts, spans[d].byteOffset + from.byte, to.byte - from.byte, 'texts.bin');
    return bytes.toString('utf8').slice(start - from.character, end - from.character);
  };

  /** Blocks `first` .. `first + count - 1` of document `d` (indices from its first block). */
  const readBlocks = async (d: number, first: number, count: number): Promise<Block[]> => {
    if (count <= 0) return [];
    const line = spans[d].firstBlock + first;
    const offsets = new Float64Array(count + 1);
    const offsetBytes = await readRange(files.blockOffsets, line * 8, (count + 1) * 8, 'block-offsets.bin');
    offsetBytes.copy(Buffer.from(offsets.buffer));
    const bytes = await readRange(files.blocks, offsets[0], offsets[count] - offsets[0], 'blocks.jsonl');
    const blocks: Block[] = [];
    for (let i = 0; i < count; i++) {
      blocks.push(JSON.parse(bytes.toString('utf8', offsets[i] - offsets[0], offsets[i + 1] - offsets[0])) as Block);
    }
    return blocks;
  };

  /** `blocks` (in order, next to one another) with the text of the windows the chunk carries, read at once. */
  const withText = async (d: number, blocks: Block[], chunk: { start: number; end: number }): Promise<BlockText[]> => {
    if (blocks.length === 0) return [];
    const windows = blocks.map((block) => blockWindow(block, chunk));
    const from = windows[0].start;
    const all = await text(d, from, windows.at(-1)!.end);
    return blocks.map((block, i) => ({ ...block, ...windows[i], text: all.slice(windows[i].start - from, windows[i].end - from) }));
  };

  const texts: DocumentTexts = {
    text,
    async blocks(d, start, end) {
      const found: Block[] = [];
      let next = checkpoint(d, Math.floor(start / TEXT_CHECKPOINT_CHARS)).block;
      while (next < spans[d].blockCount) {
        const batch = await readBlocks(d, next, Math.min(BLOCK_BATCH, spans[d].blockCount - next));
        for (const block of batch) {
          if (block.start >= end) return found;
          if (block.end > start) found.push(block);
        }
        next += batch.length;
      }
      return found;
    },
    async chunkParts(chunk, d, start, end): Promise<ChunkParts> {
      const record = new Uint32Array(CHUNK_BLOCK_FIELDS);
      (await readRange(files.chunkBlocks, chunk * CHUNK_BLOCK_FIELDS * 4, CHUNK_BLOCK_FIELDS * 4, 'chunk-blocks.bin')).copy(
        Buffer.from(record.buffer),
      );
      const [first, count, ...framingAt] = record;
      const framingIndices = framingAt.filter((index) => index !== NO_BLOCK);
      const [overlapping, framing, after] = await Promise.all([
        readBlocks(d, first, count),
        Promise.all(framingIndices.map((index) => readBlocks(d, index, 1))).then((lists) => lists.flat()),
        // The place of a chunk that overlaps no block: the next block, or after the last, the last.
        count > 0 || spans[d].blockCount === 0 ? Promise.resolve([]) : readBlocks(d, Math.min(first, spans[d].blockCount - 1), 1),
      ]);
      const chunkRange = { start, end };
      // Framing blocks may lie far above the chunk (a heading): each reads its own window.
      const [blocks, framed] = await Promise.all([
        withText(d, overlapping, chunkRange),
        Promise.all(framing.map((block) => withText(d, [block], chunkRange))).then((lists) => lists.flat()),
      ]);
      return { blocks, framing: framed, place: overlapping[0] ?? after[0] };
    },
  };
  openFiles.register(texts, Object.values(files));
  return texts;
}

async function readRange(fd: number, offset: number, length: number, name: string): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await readAt(fd, buffer, done, length - done, offset + done);
    if (bytesRead === 0) throw new Error(`${name} ends before byte ${offset + length}`);
    done += bytesRead;
  }
  return buffer;
}

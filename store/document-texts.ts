import { closeSync, read } from 'node:fs';
import { promisify } from 'node:util';
import type { Block } from '../core/types.js';

const readAt = promisify(read);

/** Where a store reads its documents' text and blocks from, by document position. */
export interface DocumentTexts {
  text(document: number): Promise<string>;
  blocks(document: number): Promise<Block[]>;
}

/** Texts and blocks held in memory (an index just built). */
export function memoryTexts(documents: readonly { text: string; blocks: Block[] }[]): DocumentTexts {
  return { text: async (document) => documents[document].text, blocks: async (document) => documents[document].blocks };
}

/** A document's bytes in texts.bin, and its blocks' (one JSON line) in blocks.jsonl. */
export interface TextSpan {
  byteOffset: number;
  byteLength: number;
  blocksOffset: number;
  blocksLength: number;
}

const openFiles = new FinalizationRegistry<number[]>((fds) => fds.forEach((fd) => closeSync(fd)));

/**
 * Texts and blocks read on demand from texts.bin and blocks.jsonl, given open descriptors of
 * them (verified against their checksums through those same descriptors): a million chunks'
 * text (about a gigabyte) stays on disk and in the page cache instead of in every worker's heap.
 * Reading through descriptors opened once means a reload that swaps a new generation in never
 * mixes its files with this one's offsets; they close when these texts (and so the store holding
 * them) are collected.
 */
export function fileTexts(textFd: number, blocksFd: number, spans: readonly TextSpan[]): DocumentTexts {
  const texts: DocumentTexts = {
    async text(document) {
      const { byteOffset, byteLength } = spans[document];
      return (await readRange(textFd, byteOffset, byteLength, 'texts.bin')).toString('utf8');
    },
    async blocks(document) {
      const { blocksOffset, blocksLength } = spans[document];
      return JSON.parse((await readRange(blocksFd, blocksOffset, blocksLength, 'blocks.jsonl')).toString('utf8')) as Block[];
    },
  };
  openFiles.register(texts, [textFd, blocksFd]);
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

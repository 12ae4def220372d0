import { closeSync, read } from 'node:fs';
import { promisify } from 'node:util';
import { LRUCache } from 'lru-cache';
import type { Block } from '../core/contracts/types.js';

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

/** Bytes (of texts.bin and blocks.jsonl) of the most recently read documents kept in memory. */
const CACHE_BYTES = 32 << 20;

/**
 * Texts and blocks read on demand from texts.bin and blocks.jsonl, given open descriptors of
 * them (verified against their checksums through those same descriptors): a million chunks'
 * text (about a gigabyte) stays on disk and in the page cache instead of in every worker's heap.
 * The documents read last are kept, up to `cacheBytes`: answers come back to the same few
 * documents, and a small corpus is then read from disk once.
 * Reading through descriptors opened once means a reload that swaps a new generation in never
 * mixes its files with this one's offsets; they close when these texts (and so the store holding
 * them) are collected.
 */
export function fileTexts(textFd: number, blocksFd: number, spans: readonly TextSpan[], cacheBytes = CACHE_BYTES): DocumentTexts {
  // Keyed by part and document ("t3": the text of document 3, "b3": its blocks), sized by the part's bytes on disk.
  const bytesOf = (key: string) => {
    const span = spans[Number(key.slice(1))];
    return key[0] === 't' ? span.byteLength : span.blocksLength;
  };
  const cache = new LRUCache<string, Promise<string | Block[]>>({
    maxSize: cacheBytes,
    sizeCalculation: (_value, key) => Math.max(1, bytesOf(key)),
  });
  const cached = <T extends string | Block[]>(key: string, read: () => Promise<T>): Promise<T> => {
    let value = cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = read();
      cache.set(key, value);
      value.catch(() => cache.delete(key)); // a failed read is tried again next time
    }
    return value;
  };
  const texts: DocumentTexts = {
    text(document) {
      const { byteOffset, byteLength } = spans[document];
      return cached(`t${document}`, async () => (await readRange(textFd, byteOffset, byteLength, 'texts.bin')).toString('utf8'));
    },
    blocks(document) {
      const { blocksOffset, blocksLength } = spans[document];
      return cached(
        `b${document}`,
        async () => JSON.parse((await readRange(blocksFd, blocksOffset, blocksLength, 'blocks.jsonl')).toString('utf8')) as Block[],
      );
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

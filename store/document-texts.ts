import { closeSync, openSync, read } from 'node:fs';
import { promisify } from 'node:util';

const readAt = promisify(read);

/** Where a store reads its documents' text from, by document position. */
export interface DocumentTexts {
  text(document: number): Promise<string>;
}

/** Texts held in memory (an index just built). */
export function memoryTexts(texts: readonly string[]): DocumentTexts {
  return { text: async (document) => texts[document] };
}

/** A document's bytes in texts.bin. */
export interface TextSpan {
  byteOffset: number;
  byteLength: number;
}

const openFiles = new FinalizationRegistry<number>((fd) => closeSync(fd));

/**
 * Texts read from texts.bin on demand: a million chunks' text (about a gigabyte) stays on disk
 * and in the page cache instead of in every worker's heap. The file is opened once, so a reload
 * that swaps a new index into place never mixes its text with this index's offsets; the
 * descriptor closes when these texts (and so the store holding them) are collected.
 */
export function fileTexts(file: string, spans: readonly TextSpan[]): DocumentTexts {
  const fd = openSync(file, 'r');
  const texts: DocumentTexts = {
    async text(document) {
      const { byteOffset, byteLength } = spans[document];
      const buffer = Buffer.allocUnsafe(byteLength);
      let done = 0;
      while (done < byteLength) {
        const { bytesRead } = await readAt(fd, buffer, done, byteLength - done, byteOffset + done);
        if (bytesRead === 0) throw new Error(`texts.bin ends before document ${document}`);
        done += bytesRead;
      }
      return buffer.toString('utf8');
    },
  };
  openFiles.register(texts, fd);
  return texts;
}

import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInflate, constants } from 'node:zlib';
import bytesText from 'bytes';
import { Parser } from 'htmlparser2';
import { getDocumentProxy } from 'unpdf';

/** What ingest accepts of one file; a file over any limit is skipped with the reason, never read further. */
export interface IngestLimits {
  /** Any file (INGEST_MAX_FILE_SIZE). */
  maxFileBytes: number;
  /** PDF pages (INGEST_MAX_PDF_PAGES). */
  maxPdfPages: number;
  /** A PDF's streams once inflated, all together (INGEST_MAX_PDF_DECOMPRESSED_SIZE): a 2 MB file can inflate to gigabytes. */
  maxPdfDecompressedBytes: number;
  /** HTML files (INGEST_MAX_HTML_SIZE). */
  maxHtmlBytes: number;
  /** HTML element nesting (INGEST_MAX_HTML_DEPTH): text extraction slows quadratically with depth. */
  maxHtmlDepth: number;
}

const MB = 1024 * 1024;

/** The defaults docs/configuration.md and .env.example document. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxFileBytes: 50 * MB,
  maxPdfPages: 2000,
  maxPdfDecompressedBytes: 200 * MB,
  maxHtmlBytes: 10 * MB,
  maxHtmlDepth: 256,
};

/**
 * Reads a file for its loader, or says which limit it is over: its size is checked before it is
 * read, and a PDF's or HTML file's content before any parser sees it.
 */
export async function readWithinLimits(file: string, limits: IngestLimits): Promise<{ bytes: Buffer } | { problem: string }> {
  const { size } = await stat(file);
  if (size > limits.maxFileBytes) return { problem: `larger than ${formatBytes(limits.maxFileBytes)} (INGEST_MAX_FILE_SIZE)` };
  const bytes = await readFile(file);
  const problem = await contentProblem(extname(file).toLowerCase(), bytes, limits);
  return problem ? { problem } : { bytes };
}

/** Which limit the content of a file with this extension is over (PDF pages and inflated size, HTML size and depth), or null. */
export async function contentProblem(extension: string, bytes: Buffer, limits: IngestLimits): Promise<string | null> {
  if (extension === '.pdf') return pdfProblem(bytes, limits);
  if (extension === '.html' || extension === '.htm') return htmlProblem(bytes, limits);
  return null;
}

async function pdfProblem(bytes: Buffer, limits: IngestLimits): Promise<string | null> {
  const inflated = await inflatedStreamBytes(bytes, limits.maxPdfDecompressedBytes);
  if (inflated > limits.maxPdfDecompressedBytes) {
    return `PDF content inflates to more than ${formatBytes(limits.maxPdfDecompressedBytes)} (INGEST_MAX_PDF_DECOMPRESSED_SIZE)`;
  }
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    if (pdf.numPages > limits.maxPdfPages) return `PDF has ${pdf.numPages} pages, more than ${limits.maxPdfPages} (INGEST_MAX_PDF_PAGES)`;
  } finally {
    await pdf.destroy();
  }
  return null;
}

function htmlProblem(bytes: Buffer, limits: IngestLimits): string | null {
  if (bytes.length > limits.maxHtmlBytes) return `HTML larger than ${formatBytes(limits.maxHtmlBytes)} (INGEST_MAX_HTML_SIZE)`;
  const depth = htmlDepth(bytes.toString('utf8'), limits.maxHtmlDepth);
  return depth > limits.maxHtmlDepth ? `HTML nested deeper than ${limits.maxHtmlDepth} elements (INGEST_MAX_HTML_DEPTH)` : null;
}

/** The deepest element nesting of `html`, counted by htmlparser2 (which closes void and implied elements); stops past `cap`. */
function htmlDepth(html: string, cap: number): number {
  let depth = 0;
  let deepest = 0;
  const tooDeep = new Error('too deep');
  const parser = new Parser({
    onopentag: () => {
      deepest = Math.max(deepest, ++depth);
      if (deepest > cap) throw tooDeep;
    },
    onclosetag: () => {
      depth--;
    },
  });
  try {
    parser.end(html);
  } catch (error) {
    if (error !== tooDeep) throw error;
  }
  return deepest;
}

/**
 * The bytes a PDF's streams inflate to, all together, counted without keeping them and without
 * going past `cap` (then a number above `cap`). pdf.js has no limit of its own and inflates each
 * stream whole in memory, so a compression bomb must be caught before it parses the file. Streams
 * that are not zlib data (images, encrypted streams) count at their stored size.
 */
async function inflatedStreamBytes(pdf: Buffer, cap: number): Promise<number> {
  let total = 0;
  for (const stream of pdfStreams(pdf)) {
    total += await inflatedSize(stream, cap - total + 1);
    if (total > cap) break;
  }
  return total;
}

/** The raw data of each `stream … endstream` of a PDF file. */
function* pdfStreams(pdf: Buffer): Generator<Buffer> {
  let from = 0;
  for (;;) {
    const keyword = pdf.indexOf('stream', from, 'latin1');
    if (keyword < 0) return;
    from = keyword + 6;
    if (pdf.subarray(Math.max(0, keyword - 3), keyword).toString('latin1') === 'end') continue;
    let start = from;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] !== 0x0a && start === from) continue; // "stream" inside other text
    if (pdf[start] === 0x0a) start++;
    const end = pdf.indexOf('endstream', start, 'latin1');
    if (end < 0) return;
    yield pdf.subarray(start, end);
    from = end + 9;
  }
}

/** Bytes `data` inflates to, stopping once past `cap`; its own length when it is not zlib data. */
function inflatedSize(data: Buffer, cap: number): Promise<number> {
  return new Promise((resolve) => {
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    let total = 0;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) {
        inflate.destroy();
        resolve(total);
      }
    });
    inflate.on('end', () => resolve(total));
    inflate.on('error', () => resolve(Math.max(total, data.length)));
    inflate.end(data);
  });
}

/** A byte count as the settings write it (10 MB). */
export function formatBytes(count: number): string {
  return bytesText.format(count, { unitSeparator: ' ' }) ?? `${count} bytes`;
}

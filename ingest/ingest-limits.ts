import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import bytesText from 'bytes';
import { Parser } from 'htmlparser2';
import { getDocumentProxy } from 'unpdf';
import { markdownShape } from './markdown-shape.js';
import { decodedStreamBytes } from './pdf-decoded-size.js';

/** What ingest accepts of one file; a file over any limit is skipped with the reason, never read further. */
export interface IngestLimits {
  /** Any file (INGEST_MAX_FILE_SIZE). */
  maxFileBytes: number;
  /** PDF pages (INGEST_MAX_PDF_PAGES). */
  maxPdfPages: number;
  /**
   * A PDF's streams once decoded, every stage of every filter chain counted, all together
   * (INGEST_MAX_PDF_DECOMPRESSED_SIZE): a 6 kB file can inflate to gigabytes.
   */
  maxPdfDecompressedBytes: number;
  /** HTML files (INGEST_MAX_HTML_SIZE). */
  maxHtmlBytes: number;
  /** HTML element nesting (INGEST_MAX_HTML_DEPTH): text extraction slows quadratically with depth. */
  maxHtmlDepth: number;
  /** Markdown files (INGEST_MAX_MARKDOWN_SIZE): micromark holds hundreds of bytes of tree per character. */
  maxMarkdownBytes: number;
  /** Rows of all of a Markdown file's tables (INGEST_MAX_MARKDOWN_TABLE_ROWS): each costs kilobytes to parse. */
  maxMarkdownTableRows: number;
  /** Block quotes and lists nested in Markdown (INGEST_MAX_MARKDOWN_DEPTH): parse time grows with lines × depth. */
  maxMarkdownDepth: number;
  /** Heap of the worker each file is read in (INGEST_MAX_PARSE_MEMORY): past it the file is skipped, the run goes on. */
  maxParseMemoryBytes: number;
  /** Time one file may take to read (INGEST_MAX_PARSE_SECONDS); 0: no limit. */
  maxParseSeconds: number;
}

const MB = 1024 * 1024;

/** The defaults docs/configuration.md and .env.example document. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxFileBytes: 50 * MB,
  maxPdfPages: 2000,
  maxPdfDecompressedBytes: 200 * MB,
  maxHtmlBytes: 10 * MB,
  maxHtmlDepth: 256,
  maxMarkdownBytes: 4 * MB,
  maxMarkdownTableRows: 10_000,
  maxMarkdownDepth: 32,
  maxParseMemoryBytes: 2048 * MB,
  maxParseSeconds: 300,
};

/**
 * Reads a file for its loader, or says which limit it is over: its size is checked before it is
 * read, and a PDF's, HTML or Markdown file's content before any parser sees it.
 */
export async function readWithinLimits(file: string, limits: IngestLimits): Promise<{ bytes: Buffer } | { problem: string }> {
  const { size } = await stat(file);
  if (size > limits.maxFileBytes) return { problem: `larger than ${formatBytes(limits.maxFileBytes)} (INGEST_MAX_FILE_SIZE)` };
  const bytes = await readFile(file);
  const problem = await contentProblem(extname(file).toLowerCase(), bytes, limits);
  return problem ? { problem } : { bytes };
}

/** Which limit the content of a file with this extension is over (PDF pages and decoded size, HTML size and depth, Markdown size, nesting and table rows), or null. */
export async function contentProblem(extension: string, bytes: Buffer, limits: IngestLimits): Promise<string | null> {
  if (extension === '.pdf') return pdfProblem(bytes, limits);
  if (extension === '.html' || extension === '.htm') return htmlProblem(bytes, limits);
  if (extension === '.md' || extension === '.markdown') return markdownProblem(bytes, limits);
  return null;
}

function markdownProblem(bytes: Buffer, limits: IngestLimits): string | null {
  if (bytes.length > limits.maxMarkdownBytes)
    return `Markdown larger than ${formatBytes(limits.maxMarkdownBytes)} (INGEST_MAX_MARKDOWN_SIZE)`;
  const shape = markdownShape(bytes.toString('utf8'), { depth: limits.maxMarkdownDepth, tableRows: limits.maxMarkdownTableRows });
  if (shape.depth > limits.maxMarkdownDepth)
    return `Markdown nested deeper than ${limits.maxMarkdownDepth} levels (INGEST_MAX_MARKDOWN_DEPTH)`;
  if (shape.tableRows > limits.maxMarkdownTableRows)
    return `Markdown table rows: more than ${limits.maxMarkdownTableRows} (INGEST_MAX_MARKDOWN_TABLE_ROWS)`;
  return null;
}

async function pdfProblem(bytes: Buffer, limits: IngestLimits): Promise<string | null> {
  const inflated = await decodedStreamBytes(bytes, limits.maxPdfDecompressedBytes);
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

/** A byte count as the settings write it (10 MB). */
export function formatBytes(count: number): string {
  return bytesText.format(count, { unitSeparator: ' ' }) ?? `${count} bytes`;
}

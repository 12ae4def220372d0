import { extname } from 'node:path';
import { normalizeText } from '../core/text/normalize-text.js';
import type { Block, DocumentKind } from '../core/contracts/types.js';
import type { TitleCandidates } from './choose-title.js';
import { decodeTextFile } from './decode-text-file.js';
import { paragraphBlocks } from './paragraph-blocks.js';
import { parseHtml } from './parse-html.js';
import { parseMarkdown } from './parse-markdown.js';
import { readPdf } from './read-pdf.js';

/** A file's stored text (normalised: every offset points into it), its blocks, and what could title it. */
export interface ReadDocument {
  text: string;
  kind: DocumentKind;
  blocks: Block[];
  pages: number | null;
  titles: TitleCandidates;
}

/** A reader gives the document, or why the file is skipped. */
type Reader = (bytes: Uint8Array) => Promise<ReadDocument | { skip: string }>;

const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

const READERS: Record<string, Reader> = {
  '.txt': async (bytes) => readPlainText(utf8(bytes)),
  '.md': async (bytes) => readMarkdown(utf8(bytes)),
  '.markdown': async (bytes) => readMarkdown(utf8(bytes)),
  '.html': async (bytes) => readHtml(utf8(bytes)),
  '.htm': async (bytes) => readHtml(utf8(bytes)),
  '.pdf': async (bytes) => {
    const pdf = await readPdf(bytes);
    return { text: pdf.text, kind: 'pdf', blocks: pdf.blocks, pages: pdf.pages, titles: { declared: pdf.titles } };
  },
  // No extension (LICENSE, README, NOTES): plain text when the bytes are UTF-8 text.
  '': async (bytes) => {
    const text = decodeTextFile(bytes);
    return text === null ? { skip: 'binary file (not UTF-8 text)' } : readPlainText(text);
  },
};

/** File extensions the readers take; files without an extension are read as plain text when they hold text. */
export const SUPPORTED_EXTENSIONS = Object.keys(READERS).filter(Boolean);

/** Reads one file by its extension: its stored text and structure, or why it is skipped. Unreadable files throw. */
export async function readDocument(path: string, bytes: Uint8Array): Promise<ReadDocument | { skip: string }> {
  return readAs(extname(path).toLowerCase(), bytes);
}

/** Reads bytes as a file with this extension would be read (a crawled page by its content type). */
export async function readAs(extension: string, bytes: Uint8Array): Promise<ReadDocument | { skip: string }> {
  const reader = READERS[extension];
  if (!reader) return { skip: `unsupported file type (supported: ${SUPPORTED_EXTENSIONS.join(', ')}, or no extension)` };
  const read = await reader(bytes);
  return 'skip' in read || read.text.length > 0 ? read : { skip: 'no text found' };
}

/** Plain text as it was: paragraphs, and a first line that reads like a title (short, not ending a sentence or leading into a list). */
function readPlainText(raw: string): ReadDocument {
  const text = normalizeText(raw);
  const firstLine = text.split('\n', 1)[0].trim();
  const looksLikeTitle = firstLine.length > 0 && firstLine.length <= 100 && !/[.!?:;,]["”’)]*$/.test(firstLine);
  return {
    text,
    kind: 'text',
    blocks: paragraphBlocks(text),
    pages: null,
    titles: { declared: [], guessed: looksLikeTitle ? firstLine : undefined },
  };
}

/** Markdown keeps its raw text (the page renders it); the parser gives blocks over that text. */
function readMarkdown(raw: string): ReadDocument {
  const text = normalizeText(raw);
  const { blocks, titles } = parseMarkdown(text);
  return { text, kind: 'markdown', blocks, pages: null, titles: { declared: titles } };
}

function readHtml(html: string): ReadDocument {
  const { text, blocks, titles } = parseHtml(html);
  return { text, kind: 'html', blocks, pages: null, titles: { declared: titles } };
}

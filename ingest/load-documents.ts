import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { convert } from 'html-to-text';
import { extractText, getDocumentProxy } from 'unpdf';
import { normalizeText } from '../core/normalize-text.js';
import { DEFAULT_INGEST_LIMITS, readWithinLimits, type IngestLimits } from './ingest-limits.js';
import { NoDocumentsError } from './no-documents-error.js';

/** A document read from disk, its text normalised: what the index stores. */
export interface LoadedDocument {
  docId: string;
  title: string;
  text: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface LoadResult {
  documents: LoadedDocument[];
  skipped: SkippedFile[];
}

type Extracted = { text: string; title?: string };
type Loader = (bytes: Buffer) => Promise<Extracted>;

const LOADERS: Record<string, Loader> = {
  '.txt': async (bytes) => loadPlainText(bytes.toString('utf8')),
  '.md': async (bytes) => loadMarkdown(bytes.toString('utf8')),
  '.markdown': async (bytes) => loadMarkdown(bytes.toString('utf8')),
  '.html': async (bytes) => loadHtml(bytes.toString('utf8')),
  '.htm': async (bytes) => loadHtml(bytes.toString('utf8')),
  '.pdf': loadPdf,
};

/** File extensions the loaders read. */
export const SUPPORTED_EXTENSIONS = Object.keys(LOADERS);

/**
 * Reads every supported file under `folder` (recursively, hidden files skipped).
 * Unsupported, unreadable and empty files, and files over a limit, are listed in `skipped`, never fatal.
 */
export async function loadDocuments(folder: string, limits: IngestLimits = DEFAULT_INGEST_LIMITS): Promise<LoadResult> {
  let files: string[];
  try {
    files = await listFiles(folder);
  } catch (error) {
    throw new NoDocumentsError(`Cannot read the documents folder ${folder}: ${(error as Error).message}`);
  }
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files.sort()) {
    const docId = relative(folder, file).split(sep).join('/');
    const loader = LOADERS[extname(file).toLowerCase()];
    if (!loader) {
      skipped.push({ path: docId, reason: `unsupported file type (supported: ${SUPPORTED_EXTENSIONS.join(', ')})` });
      continue;
    }
    try {
      const read = await readWithinLimits(file, limits);
      if ('problem' in read) {
        skipped.push({ path: docId, reason: read.problem });
        continue;
      }
      const extracted = await loader(read.bytes);
      const text = normalizeText(extracted.text);
      if (text.length === 0) {
        skipped.push({ path: docId, reason: 'no text found' });
        continue;
      }
      const title = extracted.title?.trim() || basename(file, extname(file));
      documents.push({ docId, title, text });
    } catch (error) {
      skipped.push({ path: docId, reason: `unreadable: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  if (documents.length === 0) {
    const listed = skipped.length ? ` (skipped: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')})` : '';
    throw new NoDocumentsError(`No supported document in ${folder}; expected ${SUPPORTED_EXTENSIONS.join(', ')} files${listed}`);
  }
  return { documents, skipped };
}

async function listFiles(folder: string): Promise<string[]> {
  const info = await stat(folder);
  if (!info.isDirectory()) throw new Error('not a directory');
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !isHidden(relative(folder, join(entry.parentPath, entry.name))))
    .map((entry) => join(entry.parentPath, entry.name));
}

function isHidden(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => part.startsWith('.'));
}

/** A first line that reads like a title (short, not ending a sentence or leading into a list) names the document. */
function loadPlainText(text: string): Extracted {
  const firstLine = text.trimStart().split(/\r?\n/, 1)[0].trim();
  const looksLikeTitle = firstLine.length > 0 && firstLine.length <= 100 && !/[.!?:;,]["”’)]*$/.test(firstLine);
  return { text, title: looksLikeTitle ? firstLine : undefined };
}

function loadMarkdown(text: string): Extracted {
  const heading = /^#\s+(.+)$/m.exec(text);
  return { text, title: heading?.[1].replace(/[#*_`]/g, '').trim() };
}

function loadHtml(html: string): Extracted {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1];
  const text = convert(html, {
    wordwrap: false,
    // The size is limited before (INGEST_MAX_HTML_SIZE): never truncate silently here.
    limits: { maxInputLength: Infinity },
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'nav', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } },
      { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', options: { uppercaseHeaderCells: false } },
    ],
  });
  return { text, title: title ? convert(title, { wordwrap: false }) : undefined };
}

async function loadPdf(bytes: Buffer): Promise<Extracted> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  const { text } = await extractText(pdf, { mergePages: false });
  const metadata = await pdf.getMetadata().catch(() => undefined);
  const info = metadata?.info as { Title?: string } | undefined;
  return { text: text.join('\n\n'), title: info?.Title };
}

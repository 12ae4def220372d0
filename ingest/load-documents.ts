import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { chooseTitle, distinguishTitles } from './choose-title.js';
import type { LoadResult, LoadedDocument, SkippedFile } from './document-source.js';
import { FileReader } from './file-reader.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './ingest-limits.js';
import { NoDocumentsError } from './no-documents-error.js';
import { SUPPORTED_EXTENSIONS } from './read-document.js';

/**
 * Reads every supported file under `folder` (recursively, hidden files skipped), each in a
 * worker with bounded memory and time (ingest/file-reader.ts). Unsupported, binary, unreadable
 * and empty files, files over a limit (or whose parser runs out of memory or time), and symbolic
 * links (not followed) are listed in `skipped`, never fatal.
 */
export async function loadDocuments(folder: string, limits: IngestLimits = DEFAULT_INGEST_LIMITS): Promise<LoadResult> {
  let files: ListedFile[];
  try {
    files = await listFiles(folder);
  } catch (error) {
    throw new NoDocumentsError(`Cannot read the documents folder ${folder}: ${(error as Error).message}`);
  }
  const folderName = basename(resolve(folder));
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  const reader = new FileReader(limits);
  try {
    for (const { file, notRead } of files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      const path = relative(folder, file).split(sep).join('/');
      if (notRead) {
        skipped.push({ path, reason: notRead });
        continue;
      }
      const read = await reader.read(file, path);
      if ('skip' in read) {
        skipped.push({ path, reason: read.skip });
        continue;
      }
      const { text, kind, blocks, pages, titles } = read;
      documents.push({ docId: path, path, url: null, title: chooseTitle(titles, path, folderName), text, kind, pages, blocks });
    }
  } finally {
    await reader.close();
  }
  if (documents.length === 0) {
    const listed = skipped.length ? ` (skipped: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')})` : '';
    throw new NoDocumentsError(
      `No supported document in ${folder}; expected ${SUPPORTED_EXTENSIONS.join(', ')} files or text files without an extension${listed}`,
    );
  }
  return { documents: distinguishTitles(documents), skipped };
}

/** A file of the documents folder, and why it is not read when it is not. */
interface ListedFile {
  file: string;
  notRead?: string;
}

/** Why a folder entry that is not a regular file is not read. */
const SYMLINK_SKIPPED = 'symbolic link, not followed (it may point outside the folder)';
const SPECIAL_SKIPPED = 'not a regular file (a device, socket or pipe)';

/**
 * Every file under `folder` but hidden ones, and why an entry that is not read is not: symbolic
 * links are not followed (a link could lead the index out of the folder it was given), but are
 * listed, so a document that went missing through one is accounted for.
 */
async function listFiles(folder: string): Promise<ListedFile[]> {
  const info = await stat(folder);
  if (!info.isDirectory()) throw new Error('not a directory');
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => !entry.isDirectory() && !isHidden(relative(folder, join(entry.parentPath, entry.name))))
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      if (entry.isFile()) return { file };
      return { file, notRead: entry.isSymbolicLink() ? SYMLINK_SKIPPED : SPECIAL_SKIPPED };
    });
}

function isHidden(relativePath: string): boolean {
  return relativePath.split(sep).some((part) => part.startsWith('.'));
}

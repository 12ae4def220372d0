import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { chooseTitle, distinguishTitles } from './choose-title.js';
import type { LoadResult, LoadedDocument, SkippedFile } from './document-source.js';
import { DEFAULT_INGEST_LIMITS, readWithinLimits, type IngestLimits } from './ingest-limits.js';
import { NoDocumentsError } from './no-documents-error.js';
import { SUPPORTED_EXTENSIONS, readDocument } from './read-document.js';

/**
 * Reads every supported file under `folder` (recursively, hidden files skipped).
 * Unsupported, binary, unreadable and empty files, and files over a limit, are listed in `skipped`, never fatal.
 */
export async function loadDocuments(folder: string, limits: IngestLimits = DEFAULT_INGEST_LIMITS): Promise<LoadResult> {
  let files: string[];
  try {
    files = await listFiles(folder);
  } catch (error) {
    throw new NoDocumentsError(`Cannot read the documents folder ${folder}: ${(error as Error).message}`);
  }
  const folderName = basename(resolve(folder));
  const documents: LoadedDocument[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files.sort()) {
    const path = relative(folder, file).split(sep).join('/');
    try {
      const within = await readWithinLimits(file, limits);
      if ('problem' in within) {
        skipped.push({ path, reason: within.problem });
        continue;
      }
      const read = await readDocument(path, within.bytes);
      if ('skip' in read) {
        skipped.push({ path, reason: read.skip });
        continue;
      }
      const { text, kind, blocks, pages, titles } = read;
      documents.push({ docId: path, path, url: null, title: chooseTitle(titles, path, folderName), text, kind, pages, blocks });
    } catch (error) {
      skipped.push({ path, reason: `unreadable: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  if (documents.length === 0) {
    const listed = skipped.length ? ` (skipped: ${skipped.map((s) => `${s.path}: ${s.reason}`).join('; ')})` : '';
    throw new NoDocumentsError(
      `No supported document in ${folder}; expected ${SUPPORTED_EXTENSIONS.join(', ')} files or text files without an extension${listed}`,
    );
  }
  return { documents: distinguishTitles(documents), skipped };
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

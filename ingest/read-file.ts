import { readWithinLimits, type IngestLimits } from './ingest-limits.js';
import { readDocument, type ReadDocument } from './read-document.js';

/** What reading one file gives: the document, or why the file is skipped. */
export type FileReading = ReadDocument | { skip: string };

/** Reads one file within `limits` (checked before any parser sees it) and parses it by its extension; unreadable files throw. */
export async function readFileWithinLimits(file: string, path: string, limits: IngestLimits): Promise<FileReading> {
  const within = await readWithinLimits(file, limits);
  if ('problem' in within) return { skip: within.problem };
  return readDocument(path, within.bytes);
}

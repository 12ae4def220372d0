import { parentPort } from 'node:worker_threads';
import type { IngestLimits } from './ingest-limits.js';
import { readAs } from './read-document.js';
import { readFileWithinLimits } from './read-file.js';

/**
 * What to read, as the ingest's main thread sends it: a file (checked against `limits`, then
 * parsed by its extension), or the bytes of a crawled page already checked (parsed as `extension`).
 */
export type ReadRequest =
  { id: number; file: string; path: string; limits: IngestLimits } | { id: number; extension: string; bytes: Uint8Array };

/** What the worker sends back: the reading, or the message of what made the file unreadable; `ready` once it has loaded. */
export type ReadReply =
  { id: number; reading: Awaited<ReturnType<typeof readFileWithinLimits>> } | { id: number; error: string } | { ready: true };

// The body of the worker thread each file is parsed in (ingest/file-reader.ts): one file at a time.
parentPort?.on('message', async (request: ReadRequest) => {
  let reply: ReadReply;
  try {
    const reading =
      'file' in request
        ? await readFileWithinLimits(request.file, request.path, request.limits)
        : await readAs(request.extension, request.bytes);
    reply = { id: request.id, reading };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});

// Loaded (the parsers with it): files are timed from now on, not the start-up.
parentPort?.postMessage({ ready: true } satisfies ReadReply);

import { parentPort } from 'node:worker_threads';
import type { IngestLimits } from './ingest-limits.js';
import { readFileWithinLimits } from './read-file.js';

/** A file to read, as the ingest's main thread sends it. */
export interface ReadRequest {
  id: number;
  file: string;
  path: string;
  limits: IngestLimits;
}

/** What the worker sends back: the reading, or the message of what made the file unreadable; `ready` once it has loaded. */
export type ReadReply =
  { id: number; reading: Awaited<ReturnType<typeof readFileWithinLimits>> } | { id: number; error: string } | { ready: true };

// The body of the worker thread each file is parsed in (ingest/file-reader.ts): one file at a time.
parentPort?.on('message', async (request: ReadRequest) => {
  let reply: ReadReply;
  try {
    reply = { id: request.id, reading: await readFileWithinLimits(request.file, request.path, request.limits) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});

// Loaded (the parsers with it): files are timed from now on, not the start-up.
parentPort?.postMessage({ ready: true } satisfies ReadReply);

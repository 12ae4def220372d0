import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadReply, ReadRequest } from './file-reader-worker.js';
import { formatBytes, type IngestLimits } from './ingest-limits.js';
import { readAs } from './read-document.js';
import { readFileWithinLimits, type FileReading } from './read-file.js';

const WORKER_SCRIPT = new URL('./file-reader-worker.mjs', import.meta.url);
const MB = 1024 * 1024;
/**
 * Files read in this thread: plain text is read in one linear pass (normalised, cut into
 * paragraphs), bounded by INGEST_MAX_FILE_SIZE, and most corpora are mostly text, so they need
 * not wait the second or two a worker takes to load its parsers.
 */
const READ_HERE = new Set(['.txt', '']);

/**
 * Reads files (and crawled pages) one at a time; Markdown, HTML and PDF in a worker thread
 * (started on the first such file) whose heap is capped at INGEST_MAX_PARSE_MEMORY and whose
 * every file is timed against INGEST_MAX_PARSE_SECONDS. A file that exhausts the heap (V8 would
 * abort the whole process), takes too long, or brings the worker down otherwise is skipped with
 * the reason, and the next file gets a fresh worker: one file never aborts the run. The limits
 * checked before parsing (sizes, PDF decoding, nesting, table rows) catch the known cases with a
 * precise reason; the worker catches what they miss. Reads queue, so a file's time and memory
 * are its own, whoever asks at once (a crawl reads several pages at a time).
 */
export class FileReader {
  private worker: Worker | null = null;
  private started: Promise<Worker> | null = null;
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly limits: IngestLimits) {}

  /** Reads one file within the limits: its document, or why it is skipped. Throws only if no worker can start at all. */
  read(file: string, path: string): Promise<FileReading> {
    if (READ_HERE.has(extname(path).toLowerCase())) return here(() => readFileWithinLimits(file, path, this.limits));
    return this.inWorker({ id: this.nextId++, file, path, limits: this.limits });
  }

  /** Parses a crawled page's bytes (already checked against the limits) as a file of `extension` would be. */
  readBytes(extension: string, bytes: Uint8Array): Promise<FileReading> {
    if (READ_HERE.has(extension)) return here(() => readAs(extension, bytes));
    return this.inWorker({ id: this.nextId++, extension, bytes });
  }

  private inWorker(request: ReadRequest): Promise<FileReading> {
    const turn = this.queue.then(async () => {
      const worker = await this.start();
      worker.ref();
      try {
        return await this.readIn(worker, request);
      } finally {
        worker.unref();
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.started = null;
    await worker?.terminate();
  }

  private start(): Promise<Worker> {
    this.started ??= new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(WORKER_SCRIPT, {
        resourceLimits: { maxOldGenerationSizeMb: Math.max(16, Math.floor(this.limits.maxParseMemoryBytes / MB)) },
        // Its output is the main thread's: a parser's warning reaches the terminal, not a pipe nobody reads.
        stdout: false,
        stderr: false,
      });
      // Ready once its module (and tsx, and the parsers) has loaded: a worker that cannot start is
      // the ingest's error, not a file's, and no file is timed for the start-up.
      const onReady = (message: ReadReply) => {
        if (!('ready' in message)) return;
        worker.off('message', onReady);
        this.worker = worker;
        resolve(worker);
      };
      worker.on('message', onReady);
      worker.once('error', (error) => {
        if (this.worker !== worker) reject(new Error(`The ingest's file reader cannot start: ${error.message}`));
      });
    }).catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  private readIn(worker: Worker, request: ReadRequest): Promise<FileReading> {
    return new Promise<FileReading>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (reading: FileReading, stopWorker = false) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (stopWorker && this.worker === worker) void this.close();
        resolve(reading);
      };
      const onMessage = (reply: ReadReply) => {
        if ('ready' in reply || reply.id !== request.id) return;
        finish('error' in reply ? { skip: `unreadable: ${reply.error.split('\n')[0]}` } : reply.reading);
      };
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          finish(
            { skip: `needs more than ${formatBytes(this.limits.maxParseMemoryBytes)} of memory to read (INGEST_MAX_PARSE_MEMORY)` },
            true,
          );
        } else {
          finish({ skip: `unreadable: ${error.message.split('\n')[0]}` }, true);
        }
      };
      const onExit = (code: number) => finish({ skip: `unreadable: the reader stopped (exit code ${code})` }, true);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      if (this.limits.maxParseSeconds > 0) {
        timer = setTimeout(
          () => finish({ skip: `took longer than ${this.limits.maxParseSeconds} s to read (INGEST_MAX_PARSE_SECONDS)` }, true),
          this.limits.maxParseSeconds * 1000,
        );
      }
      worker.postMessage(request);
    });
  }
}

/** Reads in this thread, an unreadable file being skipped with the reason as the worker would. */
async function here(read: () => Promise<FileReading>): Promise<FileReading> {
  try {
    return await read();
  } catch (error) {
    return { skip: `unreadable: ${(error as Error).message.split('\n')[0]}` };
  }
}

import { Worker } from 'node:worker_threads';
import { HNSW_SETTINGS } from './search-index.js';

const WORKER = new URL('./build-dense-worker.mjs', import.meta.url);

/** Feeds an HNSW graph built in a worker thread; `finish` resolves once it is written to its file. */
export interface DenseIndexFileBuilder {
  /** Adds vectors (rows of the graph's dimensions) under their chunk positions. */
  add(labels: Uint32Array<ArrayBuffer>, rows: Float32Array<ArrayBuffer>): void;
  finish(): Promise<void>;
}

/**
 * Starts building the HNSW graph of `count` vectors in a worker thread, written to `file` at
 * the end. Vectors can be added as they are embedded, in any order, so the graph grows on a
 * second core while this thread keeps embedding and indexing.
 */
export function startDenseIndexFile(count: number, dimensions: number, file: string): DenseIndexFileBuilder {
  // The worker is plain JavaScript: no TypeScript loader needed.
  const worker = new Worker(WORKER, { workerData: { count, dimensions, file, ...HNSW_SETTINGS }, execArgv: [] });
  const written = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the HNSW build stopped with code ${code}`))));
  });
  written.catch(() => undefined); // a failure is reported by finish(); never unhandled before it is called
  return {
    add(labels, rows) {
      worker.postMessage({ labels, rows }, [labels.buffer, rows.buffer]);
    },
    async finish() {
      worker.postMessage({ end: true });
      await written;
    },
  };
}

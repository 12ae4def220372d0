// Starts the file reader worker (file-reader-worker.ts) in a worker thread, however the process
// runs TypeScript (tsx's CLI, vitest): tsx compiles it, and what it imports, for this thread.
import { tsImport } from 'tsx/esm/api';

await tsImport('./file-reader-worker.ts', import.meta.url);

import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { answerCalls, type PrimaryObjects } from './primary-objects.js';

export interface ServeWorkersOptions {
  /** Processes serving the port; undefined means one per core. 1 serves in this process. */
  workers?: number;
  /** Starts serving in this process; resolves once it answers (index loaded). */
  serve: () => Promise<void>;
  /** Made once in the primary when there are several workers: the state they share (runtime/primary-objects.ts). */
  primaryObjects?: () => PrimaryObjects;
  log?: (line: string) => void;
}

/** How many workers a WORKERS setting means: the number given, or one per core. */
export function workerCount(setting: number | undefined): number {
  return setting ?? availableParallelism();
}

/**
 * Serves on several cores with Node's cluster: every worker loads the index itself and shares
 * the port (the primary hands out connections in turn); state that must be one across workers
 * (rate limits, Slack's replay memory) lives in the primary (`primaryObjects`). The first worker
 * starts alone, so an index missing at start is built once; the others start when it is ready.
 * Each worker reloads a re-ingested index on its own (the generation CURRENT names, loaded whole
 * and swapped in), so every request sees one complete generation.
 * The primary passes SIGTERM/SIGINT on and exits when the workers have; a worker that dies
 * unasked stops the rest, so a supervisor sees the failure instead of a server at half strength.
 */
export async function serveWorkers(options: ServeWorkersOptions): Promise<void> {
  const count = workerCount(options.workers);
  const log = options.log ?? ((line: string) => console.error(line));
  if (cluster.isWorker) {
    await options.serve();
    process.send?.({ type: 'ready' });
    return;
  }
  if (count <= 1) return options.serve();

  let stopping = false;
  const workers = new Set<Worker>();
  // Structured clones, not JSON, cross the IPC channel: a rate limit's reset time stays a Date.
  cluster.setupPrimary({ serialization: 'advanced' });
  const shared = options.primaryObjects?.() ?? {};
  let serving = 0;
  const fork = () => {
    const worker = cluster.fork();
    workers.add(worker);
    answerCalls(worker, shared);
    worker.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready' && ++serving === count) log(`All ${count} workers are serving.`);
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (!stopping) {
        log(`A worker exited (${signal ?? `code ${code}`}); stopping the others.`);
        stop('SIGTERM', code || 1);
      } else if (workers.size === 0) process.exit(exitCode);
    });
    return worker;
  };
  let exitCode = 0;
  const stop = (signal: NodeJS.Signals, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (workers.size === 0) process.exit(exitCode);
    for (const worker of workers) worker.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  log(`Serving with ${count} workers.`);
  fork().on('message', (message: { type?: string }) => {
    if (message?.type !== 'ready' || stopping || workers.size > 1) return;
    for (let i = 1; i < count; i++) fork();
  });
}

import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { answerCalls, primaryObject, type PrimaryObjects } from './primary-objects.js';

/** The primary's own object for its workers: whether a worker starting now would be the only one serving. */
const CLUSTER_OBJECT = 'verbatim:cluster';

interface ClusterObject {
  alone(): boolean;
}

export interface ServeWorkersOptions {
  /** Processes serving the port; undefined means one per core. 1 serves in this process. */
  workers?: number;
  /**
   * Starts serving in this process; resolves once it answers (index loaded). `alone` says no other
   * worker is serving: the port should open at once (a 503 while loading beats a refused
   * connection); otherwise the others answer meanwhile, and it should listen once loaded.
   */
  serve: (start: { alone: boolean }) => Promise<void>;
  /** Made once in the primary when there are several workers: the state they share (runtime/primary-objects.ts). */
  primaryObjects?: () => PrimaryObjects;
  /** Workers replaced within a minute before the primary stops the rest and exits 1 (default DEFAULT_MAX_RESTARTS). */
  maxRestartsPerMinute?: number;
  log?: (line: string) => void;
}

/** How many workers that died while serving are replaced within a minute before the server gives up (WORKER_MAX_RESTARTS). */
export const DEFAULT_MAX_RESTARTS = 5;

/** How many workers are serving, out of how many there should be: every worker is told on each change. */
export interface WorkersReadiness {
  ready: number;
  total: number;
}

interface ReadinessMessage extends WorkersReadiness {
  type: 'verbatim:workers';
}

/** In a worker: the last readiness the primary sent (none yet: 0 of 0, not ready). */
let readiness: WorkersReadiness = { ready: 0, total: 0 };

/**
 * The cluster's readiness as this worker last heard it from the primary, for /readyz: ready only
 * when every worker is. Undefined outside a cluster (one process: its own readiness is all).
 */
export function workersReadiness(): WorkersReadiness | undefined {
  return cluster.isWorker ? readiness : undefined;
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
 *
 * A worker that dies while serving is replaced; the others keep the port open meanwhile (a worker
 * that starts beside serving ones listens only once loaded, so clients never wait on it), and
 * every worker hears how many are ready (`workersReadiness`). More than `maxRestartsPerMinute`
 * deaths within a minute is a crash loop: the primary stops the rest and exits 1, for a
 * supervisor to see. A worker that dies before it ever served (the index cannot be loaded, the
 * port is taken) stops the server at once with its exit code: a replacement would fail the same
 * way. The primary passes SIGTERM/SIGINT on and exits when the workers have.
 */
export async function serveWorkers(options: ServeWorkersOptions): Promise<void> {
  const count = workerCount(options.workers);
  const log = options.log ?? ((line: string) => console.error(line));
  if (cluster.isWorker) {
    process.on('message', (message: ReadinessMessage) => {
      if (message?.type === 'verbatim:workers') readiness = { ready: message.ready, total: message.total };
    });
    const alone = await primaryObject<ClusterObject>(CLUSTER_OBJECT).alone();
    await options.serve({ alone });
    process.send?.({ type: 'ready' });
    return;
  }
  if (count <= 1) return options.serve({ alone: true });

  const maxRestarts = options.maxRestartsPerMinute ?? DEFAULT_MAX_RESTARTS;
  let stopping = false;
  let exitCode = 0;
  let allServedOnce = false;
  const workers = new Set<Worker>();
  const ready = new Set<Worker>();
  const deaths: number[] = [];
  // Structured clones, not JSON, cross the IPC channel: a rate limit's reset time stays a Date.
  cluster.setupPrimary({ serialization: 'advanced' });
  const own: ClusterObject = { alone: () => ready.size === 0 };
  const shared = { ...options.primaryObjects?.(), [CLUSTER_OBJECT]: own };

  const tellReadiness = () => {
    const message: ReadinessMessage = { type: 'verbatim:workers', ready: ready.size, total: count };
    for (const worker of workers) if (worker.isConnected()) worker.send(message);
  };
  const fork = () => {
    const worker = cluster.fork();
    workers.add(worker);
    answerCalls(worker, shared);
    worker.on('online', tellReadiness);
    worker.on('message', (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      ready.add(worker);
      tellReadiness();
      if (ready.size < count) return;
      log(allServedOnce ? `All ${count} workers are serving again.` : `All ${count} workers are serving.`);
      allServedOnce = true;
    });
    worker.on('exit', (code, signal) => {
      const served = ready.delete(worker);
      workers.delete(worker);
      if (stopping) {
        if (workers.size === 0) process.exit(exitCode);
        return;
      }
      tellReadiness();
      const how = signal ?? `code ${code}`;
      if (!served) {
        log(`A worker exited (${how}) before it could serve; stopping the others.`);
        return stop('SIGTERM', code || 1);
      }
      const now = Date.now();
      deaths.push(now);
      while (deaths[0] <= now - 60_000) deaths.shift();
      if (deaths.length > maxRestarts) {
        log(`${deaths.length} workers died within a minute (the limit is ${maxRestarts} replacements); stopping the others (exit 1).`);
        return stop('SIGTERM', 1);
      }
      log(`A worker exited (${how}); starting a replacement (${deaths.length} of ${maxRestarts} a minute).`);
      fork();
    });
    return worker;
  };
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
  const first = fork();
  first.on('message', (message: { type?: string }) => {
    // The others start once the first has served (it may have built the index); only the first time.
    if (message?.type !== 'ready' || stopping || workers.size > 1 || allServedOnce) return;
    for (let i = 1; i < count; i++) fork();
  });
}

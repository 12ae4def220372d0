import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';

/** A server started as `npm start` starts it. */
export interface StartedServer {
  base: string;
  pid: number;
  coldStartMs: number;
  /** From the process start to its port listening (Node, tsx and the server's modules loading): the rest of the cold start is loading the index. */
  listeningMs: number | null;
  rssMbAtStart: number;
  /** Sends SIGTERM; resolves when the process has exited. */
  stop: () => Promise<void>;
}

/** Throughput and latency of one load. */
export interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  requests: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, from /proc. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

/** Starts the server with the command line of `npm start` on an existing index (and `env`, such as collections); resolves when every worker is up. */
export async function startServer(
  root: string,
  indexDir: string,
  workers: number,
  env: Record<string, string> = {},
): Promise<StartedServer> {
  const port = await freePort();
  const started = performance.now();
  // The same command line as `npm start` (package.json), so the figures are the served ones.
  const startArgs = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string).split(/\s+/).slice(1);
  const child = spawn(process.execPath, startArgs, {
    cwd: root,
    env: {
      ...process.env,
      ENV_FILE: 'none',
      PORT: String(port),
      INDEX_DIR: indexDir,
      WORKERS: String(workers),
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
      EMBEDDINGS: 'local',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      // No collections but the default unless the caller adds them.
      COLLECTIONS_FILE: '',
      COLLECTIONS_INDEX_DIR: join(indexDir, '..', 'no-collections'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // With several workers the primary says when the last one is serving (the first answers sooner).
  let allServing = workers <= 1;
  let listeningMs: number | null = null;
  const keep = (data: Buffer) => {
    output = output + data.toString();
    if (listeningMs === null && output.includes('Verbatim is starting on port')) listeningMs = Math.round(performance.now() - started);
    allServing ||= output.includes(`All ${workers} workers are serving.`);
    output = output.slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  try {
    // Ready when /readyz answers and every worker serves.
    for (;;) {
      const ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready && allServing) break;
      if (performance.now() - started > 180_000) throw new Error(`server did not become ready in 180 s; its last output: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    base,
    pid: child.pid!,
    coldStartMs: Math.round(performance.now() - started),
    listeningMs,
    rssMbAtStart: rssMb(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `autocannon` with 8 connections for `seconds`. */
export async function loadServer(options: autocannon.Options, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ connections: 8, duration: seconds, ...options });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

/** POST /v1/answer with one question. */
export function answerRequest(base: string, question: string): autocannon.Options {
  return { url: `${base}/v1/answer`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) };
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { workerCount } from './serve-workers.js';

const PID_SERVER = new URL('../test/helpers/pid-server.ts', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** The process ids (as text) of `wanted` distinct workers answering on `port` that pass `accept`; fewer after 15 s. */
async function pidsAnswering(port: number, wanted: number, accept: (pid: string) => boolean = () => true): Promise<Set<string>> {
  const pids = new Set<string>();
  const deadline = Date.now() + 15_000;
  while (pids.size < wanted && Date.now() < deadline) {
    // A new connection each time: the primary hands connections to the workers in turn.
    const pid = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then(
      (response) => response.text(),
      () => null,
    );
    if (pid && accept(pid)) pids.add(pid);
    else await sleep(50);
  }
  return pids;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, failing after `ms`. */
async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('serveWorkers', () => {
  it('serves one port from two worker processes and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, ['--import', 'tsx', PID_SERVER, String(port), '2'], { stdio: 'ignore' });
    try {
      const pids = await pidsAnswering(port, 2);
      expect(pids.size).toBe(2);
      expect(pids.has(String(primary.pid))).toBe(false);
      primary.kill('SIGTERM');
      const [code] = await once(primary, 'exit');
      expect(code).toBe(0);
      for (const pid of pids) expect(() => process.kill(Number(pid), 0)).toThrow();
    } finally {
      primary.kill('SIGKILL');
    }
  });

  it('serves in the process itself with one worker', async () => {
    const port = await freePort();
    const single = spawn(process.execPath, ['--import', 'tsx', PID_SERVER, String(port), '1'], { stdio: 'ignore' });
    try {
      expect([...(await pidsAnswering(port, 1))]).toEqual([String(single.pid)]);
    } finally {
      single.kill('SIGKILL');
    }
  });

  it('replaces a worker killed with SIGKILL while the port keeps answering, and exits 1 past the crash-loop limit', async () => {
    const port = await freePort();
    const primary = spawn(process.execPath, ['--import', 'tsx', PID_SERVER, String(port), '2', '2'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    primary.stderr!.on('data', (chunk) => (output += chunk));
    const exited = once(primary, 'exit');
    try {
      const first = await pidsAnswering(port, 2);
      expect(first.size).toBe(2);
      // Requests run throughout: none may find the port closed.
      let refused = 0;
      let answered = 0;
      let running = true;
      const load = (async () => {
        while (running) {
          // A connection handed to the worker as it died may never be answered: each request gives up after 2 s.
          const ok = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(2000) }).then(
            (response) => response.text().then(() => true),
            (error: Error & { cause?: { code?: string } }) => (error.cause?.code === 'ECONNREFUSED' ? false : null),
          );
          if (ok) answered++;
          else if (ok === false) refused++;
        }
      })();
      await until(() => answered >= 10, 15_000);
      const victims = [...first].map(Number);
      process.kill(victims[0], 'SIGKILL');
      await until(() => /starting a replacement/.test(output), 15_000);
      const replaced = await pidsAnswering(port, 1, (pid) => !first.has(pid));
      expect(replaced.size).toBe(1);
      const before = answered;
      await until(() => answered >= before + 20, 15_000);
      running = false;
      await load;
      expect(refused).toBe(0);
      // Two replacements a minute are allowed here; the third death stops the server for a supervisor.
      const [second] = replaced;
      process.kill(Number(second), 'SIGKILL');
      await until(() => (output.match(/starting a replacement/g) ?? []).length === 2, 15_000);
      const third = await pidsAnswering(port, 1, (pid) => !first.has(pid) && pid !== second);
      process.kill(Number([...third][0]), 'SIGKILL');
      const [code] = await Promise.race([exited, sleep(20_000).then(() => ['timeout'])]);
      expect(code).toBe(1);
      expect(output).toMatch(/3 workers died within a minute/);
    } finally {
      primary.kill('SIGKILL');
    }
  });

  it('means one worker per core when WORKERS is unset', () => {
    expect(workerCount(undefined)).toBe(availableParallelism());
    expect(workerCount(3)).toBe(3);
  });
});

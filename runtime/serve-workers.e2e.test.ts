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

async function pidsAnswering(port: number, wanted: number): Promise<Set<string>> {
  const pids = new Set<string>();
  const deadline = Date.now() + 15_000;
  while (pids.size < wanted && Date.now() < deadline) {
    // A new connection each time: the primary hands connections to the workers in turn.
    const pid = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then(
      (response) => response.text(),
      () => null,
    );
    if (pid) pids.add(pid);
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids;
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

  it('means one worker per core when WORKERS is unset', () => {
    expect(workerCount(undefined)).toBe(availableParallelism());
    expect(workerCount(3)).toBe(3);
  });
});

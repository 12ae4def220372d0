import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLocalIndexDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, ROOT, TEST_WORD_VECTORS } from '../test/paths.js';

// Issue 26, findings 8, 11 and 9 against the real server with two workers: /readyz is ready only
// when both are; a worker killed with SIGKILL is replaced while the port keeps answering, and
// nothing a client meets while a worker loads is an error with a stack trace in the log; a
// request naming a foreign Host is refused.

interface Sample {
  status: number;
  body: { status?: string; workers?: { ready: number; total: number }; error?: { code: string } };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET `path` on a connection of its own (the primary hands connections to the workers in turn); null when refused.
 * A connection the primary handed to the worker just killed is never answered: the short timeout lets the
 * sampling go on through the replacement's load (about 3 s), which a longer wait could cover whole.
 */
async function get(port: number, path: string): Promise<Sample | 'refused' | 'failed'> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: { connection: 'close' },
      signal: AbortSignal.timeout(1000),
    });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED' ? 'refused' : 'failed';
  }
}

describe('a server with two workers', () => {
  it('is ready only when both are, replaces a killed worker with the port open, and logs no stack for 503s', async () => {
    const { indexDir } = await buildLocalIndexDir(CORPUS_DIR);
    const port = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ENV_FILE: 'none',
        PORT: String(port),
        HOST: '127.0.0.1',
        WORKERS: '2',
        INDEX_DIR: indexDir,
        INDEX_RELOAD_SECONDS: '0',
        RATE_LIMIT_PER_MINUTE: '0',
        WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
        LOG_FORMAT: 'json',
      },
    });
    let output = '';
    server.stdout.on('data', (chunk) => (output += chunk));
    server.stderr.on('data', (chunk) => (output += chunk));
    const readyz: Sample[] = [];
    const sources: Sample[] = [];
    let refused = 0;
    const sample = async () => {
      for (const [path, into] of [
        ['/readyz', readyz],
        ['/v1/sources', sources],
      ] as const) {
        const result = await get(port, path);
        if (result === 'refused') refused++;
        else if (result !== 'failed') into.push(result);
      }
    };
    try {
      // From before the port opens until both workers serve: every "ready" must count both.
      const deadline = Date.now() + 60_000;
      while (!output.includes('All 2 workers are serving.') && Date.now() < deadline) await sample();
      for (let i = 0; i < 10; i++) await sample();
      expect(output).toContain('All 2 workers are serving.');
      const ready = readyz.filter((s) => s.status === 200);
      expect(ready.length).toBeGreaterThan(0);
      for (const s of ready) expect(s.body).toMatchObject({ status: 'ready', workers: { ready: 2, total: 2 } });
      expect(readyz.some((s) => s.status === 503 && s.body.status === 'loading')).toBe(true);
      for (const s of sources) expect(s.status === 200 || (s.status === 503 && s.body.error?.code === 'index_loading')).toBe(true);

      // Kill one worker: the other keeps the port, /readyz says loading until the replacement serves.
      const workers = execFileSync('pgrep', ['-P', String(server.pid), '-f', 'server/main.ts'])
        .toString()
        .trim()
        .split('\n')
        .map(Number);
      expect(workers).toHaveLength(2);
      refused = 0;
      const before = { readyz: readyz.length, sources: sources.length };
      process.kill(workers[0], 'SIGKILL');
      const replaced = Date.now() + 60_000;
      while (!output.includes('All 2 workers are serving again.') && Date.now() < replaced) await sample();
      for (let i = 0; i < 10; i++) await sample();
      expect(output).toMatch(/A worker exited \(SIGKILL\); starting a replacement/);
      expect(output).toContain('All 2 workers are serving again.');
      expect(refused).toBe(0);
      // Whether a sample falls in the replacement's load depends on the machine's speed: what must
      // hold is that no "ready" ever counts fewer than both (server/create-app.test.ts checks the 503).
      const after = readyz.slice(before.readyz);
      for (const s of after) expect(s.status === 200 ? s.body.workers : { ready: 2, total: 2 }).toEqual({ ready: 2, total: 2 });
      expect(after.at(-1)).toMatchObject({ status: 200, body: { workers: { ready: 2, total: 2 } } });
      for (const s of sources.slice(before.sources)) expect(s.status).toBe(200);
      expect(server.exitCode).toBeNull();

      // No log line carries a stack trace: a 503 while loading is a warning, not an error.
      expect(output).not.toMatch(/"stack"|\n\s+at /);

      // The real server checks Host on every route (bound to loopback).
      const foreign = await new Promise<number>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/healthz', headers: { Host: 'rebound.example' } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end();
      });
      expect(foreign).toBe(403);
    } finally {
      server.kill('SIGKILL');
      await sleep(100);
    }
  }, 180_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, TEST_WORD_VECTORS } from '../paths.js';

/** A server process started as `npm start` starts it, and what it has printed so far. */
export interface ServerProcess {
  base: string;
  child: ChildProcess;
  output: () => string;
}

/**
 * Starts server/main.ts with `env` over test defaults (no .env file, a free loopback port, the
 * test word vectors, no reloading), and waits until its output satisfies `ready`.
 */
export async function startServerProcess(env: Record<string, string>, ready: (output: string) => boolean): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENV_FILE: 'none',
      PORT: '0',
      HOST: '127.0.0.1',
      INDEX_RELOAD_SECONDS: '0',
      WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!ready(output)) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not get ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const base = /Open (http:\/\/\S+)/.exec(output)![1].replace('localhost', '127.0.0.1');
  return { base, child, output: () => output };
}

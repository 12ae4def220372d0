import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, TEST_WORD_VECTORS } from '../paths.js';

export interface ScriptResult {
  code: number | null;
  out: string;
  err: string;
}

/** The environment a command runs in under test: no .env, the shared word-vector cache, no model. */
export function scriptEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    ENV_FILE: 'none',
    WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
    NO_COLOR: '1',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    ...extra,
  };
}

/** Runs a project script (`ask/main.ts`) as `npm run` does, without blocking this process (which may be serving it). */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env: scriptEnvironment(env) });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

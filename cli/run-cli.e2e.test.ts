import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { ROOT, TEST_WORD_VECTORS } from '../test/paths.js';

function run(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ENV_FILE: 'none', WORD_VECTORS_CACHE: TEST_WORD_VECTORS, FEEDBACK_FILE: join(temporaryDir(), 'none.jsonl') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, err: result.stderr, out: result.stdout };
}

describe('every command exits through the same runner', () => {
  it('exits 2 with the usage on bad usage', () => {
    const ingest = run('ingest/main.ts', 'one', 'two');
    expect(ingest.code).toBe(2);
    expect(ingest.err).toMatch(/expected at most one folder or URL, got 2\n\nusage: npm run ingest/);
    const exported = run('slack/export-feedback.ts', '--nonsense');
    expect(exported.code).toBe(2);
    expect(exported.err).toContain('usage: npm run feedback:export');
  });

  it('exits 2 naming bad input, without a stack trace', () => {
    const missing = run('ingest/main.ts', join(temporaryDir(), 'nothing-here'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^Cannot read the documents folder .*nothing-here/m);
    expect(missing.err).not.toMatch(/\n\s+at /);
  });

  it('exits 0 when the command did its job', () => {
    expect(run('slack/export-feedback.ts').code).toBe(0);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { readEnvironment } from './read-environment.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('readEnvironment', () => {
  it('reads the file ENV_FILE names, without overriding variables already set', () => {
    const file = join(temporaryDir(), 'test.env');
    writeFileSync(file, 'VERBATIM_TEST_FROM_FILE=from-file\nVERBATIM_TEST_SET=from-file\n');
    process.env.ENV_FILE = file;
    process.env.VERBATIM_TEST_SET = 'from-environment';
    const env = readEnvironment();
    expect(env.VERBATIM_TEST_FROM_FILE).toBe('from-file');
    expect(env.VERBATIM_TEST_SET).toBe('from-environment');
  });

  it('reads nothing with ENV_FILE=none or when the file is missing', () => {
    const file = join(temporaryDir(), 'test.env');
    writeFileSync(file, 'VERBATIM_TEST_NONE=loaded\n');
    process.env.ENV_FILE = 'none';
    expect(readEnvironment().VERBATIM_TEST_NONE).toBeUndefined();
    process.env.ENV_FILE = join(temporaryDir(), 'missing.env');
    expect(() => readEnvironment()).not.toThrow();
  });
});

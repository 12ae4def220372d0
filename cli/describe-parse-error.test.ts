import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeParseError } from './describe-parse-error.js';

function failure(args: string[], allowPositionals = true): string {
  try {
    parseArgs({ args, allowPositionals, options: { url: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (error) {
    return describeParseError(error as Error);
  }
  throw new Error('parsed');
}

describe('describeParseError', () => {
  it('names the option once, with balanced quotes', () => {
    expect(failure(['--colour'])).toBe('unknown option --colour');
    expect(failure(['-x'])).toBe('unknown option -x');
    expect(failure(['--url'])).toBe('--url needs a value: --url <value>');
    expect(failure(['--json=yes'])).toBe('--json takes no value');
    expect(failure(['extra'], false)).toBe('unexpected argument extra: this command takes options only');
  });
});

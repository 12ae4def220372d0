import { describe, expect, it } from 'vitest';
import { createHostPacer } from './host-pacer.js';
import { retryAfterMs } from './retry-after.js';

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and nothing else', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});

describe('createHostPacer', () => {
  it('spaces the requests to one host by the delay, and waits out a pause', async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = createHostPacer(() => 100, {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await Promise.all([pacer.wait('a'), pacer.wait('a'), pacer.wait('a'), pacer.wait('b')]);
    expect(slept).toEqual([100, 200]);
    now = 1000;
    pacer.pause('a', 5000);
    await pacer.wait('a');
    expect(slept.at(-1)).toBe(5000);
  });
});

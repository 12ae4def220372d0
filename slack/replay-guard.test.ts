import { describe, expect, it } from 'vitest';
import { ReplayGuard } from './replay-guard.js';

describe('ReplayGuard', () => {
  it('knows a signature again until its five-minute window has passed, then forgets it', () => {
    let now = 1_000_000;
    const guard = new ReplayGuard(10, () => now);
    expect(guard.check('v0=a', now)).toBe('first');
    expect(guard.check('v0=a', now)).toBe('replayed');
    now += 299;
    expect(guard.check('v0=a', now - 299)).toBe('replayed');
    now += 2;
    expect(guard.check('v0=b', now)).toBe('first');
    expect(guard.size).toBe(1);
  });

  it('holds at most its capacity of live signatures and refuses new ones rather than forget live ones', () => {
    let now = 1_000_000;
    const guard = new ReplayGuard(100, () => now);
    for (let n = 0; n < 100; n++) expect(guard.check(`v0=${n}`, now)).toBe('first');
    expect(guard.check('v0=extra', now)).toBe('full');
    expect(guard.check('v0=0', now)).toBe('replayed');
    expect(guard.size).toBe(100);
    // One signed with a timestamp ahead of the others stays remembered longer, out of order.
    now += 301;
    expect(guard.check('v0=late', now + 200)).toBe('first');
    expect(guard.size).toBe(1);
  });
});

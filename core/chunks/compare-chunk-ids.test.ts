import { describe, expect, it } from 'vitest';
import { compareChunkIds } from './compare-chunk-ids.js';

describe('compareChunkIds', () => {
  it('orders by document id, then by position in the document (numerically)', () => {
    const ids = ['b.txt#0', 'a.txt#10', 'a/b.txt#0', 'a.txt#9', 'a.txt#0'];
    expect([...ids].sort(compareChunkIds)).toEqual(['a.txt#0', 'a.txt#9', 'a.txt#10', 'a/b.txt#0', 'b.txt#0']);
  });

  it('orders ids without a position after the same document name', () => {
    expect(compareChunkIds('doc', 'doc#1')).toBeLessThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { distinctPlaces } from '../../server/public/distinct-places.js';
import type { Place } from '../../server/public/source-place.js';

const place = (docId: string, title: string, headingPath: string[], page: number | null = null, n = 0): Place & { n: number } => ({
  docId,
  title,
  path: docId,
  headingPath,
  page,
  n,
});
const labels = (items: Place[]) => distinctPlaces(items).map((group) => [group.tail, group.document]);

describe('distinctPlaces', () => {
  it('merges the citations of one place, in the order places first appear', () => {
    const groups = distinctPlaces([
      place('a.md', 'A', ['A', 'Install'], null, 1),
      place('a.md', 'A', ['A', 'Usage'], null, 2),
      place('a.md', 'A', ['A', 'Install'], null, 3),
    ]);
    expect(groups.map((group) => group.items.map((item) => item.n))).toEqual([[1, 3], [2]]);
  });

  it('labels each place by the end of its breadcrumb, without the title heading, the document after it', () => {
    expect(labels([place('express/README.md', 'express', ['express', 'API', 'express.json()']), place('x.pdf', 'Manual', [], 3)])).toEqual([
      ['express.json()', 'express'],
      ['p. 3', 'Manual'],
    ]);
  });

  it('lengthens a tail that another place shares until they differ, and leads with the document when only it differs', () => {
    expect(
      labels([
        place('a.md', 'A', ['A', 'Server', 'Options']),
        place('a.md', 'A', ['A', 'Client', 'Options']),
        place('b.md', 'B', ['B', 'Options']),
        place('c.md', 'C', ['C', 'Options']),
      ]),
    ).toEqual([
      ['Server › Options', 'A'],
      ['Client › Options', 'A'],
      ['B › Options', ''],
      ['C › Options', ''],
    ]);
  });

  it('names a place without headings or page by its document alone', () => {
    expect(labels([place('notes.txt', 'notes', []), place('other.txt', 'other', [])])).toEqual([
      ['notes', ''],
      ['other', ''],
    ]);
  });
});

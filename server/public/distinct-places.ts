// Sources under an answer, one per place: several cited sentences of one section are one source,
// and each is labelled by what tells it apart from the others (the end of its breadcrumb first),
// so that no two read the same at any width.
import { placeCrumbs, placeKey, type Place } from './source-place.js';

/** The items (citations or passages) of one place, and its label. */
export interface PlaceGroup<T extends Place> {
  key: string;
  items: T[];
  /** What tells this place from the others: the shortest end of its breadcrumb that no other shares, or its document. */
  tail: string;
  /** The document's title, shown after the tail (quieter, and the first to be cut); "" when the tail names it. */
  document: string;
}

/** Groups items by place, in the order each place first appears, each with a label no other group has. */
export function distinctPlaces<T extends Place>(items: T[]): PlaceGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = placeKey(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const entries = [...groups].map(([key, members]) => ({ key, items: members, crumbs: placeCrumbs(members[0]), length: 1 }));
  const tailOf = (entry: (typeof entries)[number]) => entry.crumbs.slice(-entry.length).join(' › ');
  // Lengthen the tails that collide, one crumb at a time, until they differ or run out.
  for (;;) {
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(tailOf(entry), (counts.get(tailOf(entry)) ?? 0) + 1);
    const colliding = entries.filter((entry) => counts.get(tailOf(entry))! > 1 && entry.length < entry.crumbs.length);
    if (colliding.length === 0) break;
    for (const entry of colliding) entry.length++;
  }
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(tailOf(entry), (counts.get(tailOf(entry)) ?? 0) + 1);
  return entries.map((entry) => {
    const name = documentName(entry.items[0]);
    const tail = tailOf(entry);
    if (!tail) return { key: entry.key, items: entry.items, tail: name, document: '' };
    // Places of different documents with the same breadcrumb: the document is what tells them apart, so it leads.
    if (counts.get(tail)! > 1) return { key: entry.key, items: entry.items, tail: `${name} › ${tail}`, document: '' };
    return { key: entry.key, items: entry.items, tail, document: name };
  });
}

/** A document's title (unique in an index), else its path. */
function documentName(item: Place): string {
  return item.title || item.path || item.docId;
}

import type { SourcePlace } from '../contracts/types.js';

/** Where a span is, as a reader follows it: `express/README.md › Options › port`, or `manual.pdf › page 3`. */
export function describePlace(place: SourcePlace): string {
  return [place.path, ...(place.page === null ? [] : [`page ${place.page}`]), ...place.headingPath].join(' › ');
}

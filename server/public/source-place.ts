// How a passage or citation names where it comes from: the file path (or the title when the
// server gives no path), then the page or the heading breadcrumb when the server knows them. The
// breadcrumb leaves out a first heading that only repeats the document's title (a README's H1).

/** What the page needs of a citation or passage to name its place. */
export interface Place {
  docId: string;
  title: string;
  path: string;
  page: number | null;
  headingPath: string[];
}

/** The document's name: its relative path, else its title, else its id. */
export function sourceName(item: Pick<Place, 'docId'> & Partial<Place>): string {
  return item.path || item.title || item.docId;
}

/** The headings above the place, outermost first, without a first one that is the document's title. */
export function placeHeadings(item: Place): string[] {
  const headings = Array.isArray(item.headingPath) ? item.headingPath : [];
  const first = headings[0];
  return first !== undefined && sameText(first, item.title) ? headings.slice(1) : headings;
}

/** The breadcrumb and page as a list: ["Options", "port"], ["p. 3"]. */
export function placeCrumbs(item: Place): string[] {
  return [...placeHeadings(item), ...(typeof item.page === 'number' ? [`p. ${item.page}`] : [])];
}

/** "p. 3" or "Options › port", or "" when the server gives neither. */
export function placeDetail(item: Place): string {
  const parts = [];
  const headings = placeHeadings(item);
  if (headings.length > 0) parts.push(headings.join(' › '));
  if (typeof item.page === 'number') parts.push(`p. ${item.page}`);
  return parts.join(' · ');
}

/** One line: "guide/setup.md › Install › npm" or "report.pdf · p. 3". */
export function placeLabel(item: Place): string {
  const detail = placeDetail(item);
  if (!detail) return sourceName(item);
  return `${sourceName(item)}${placeHeadings(item).length > 0 ? ' › ' : ' · '}${detail}`;
}

/** The same for every span in one document section (or page): what chips and passage lists merge on. */
export function placeKey(item: Place): string {
  return JSON.stringify([item.docId, item.page ?? null, placeHeadings(item)]);
}

/** Where a place is on the live site: a crawled page's URL, and a citation's link to its quote there. */
export interface LiveAddress {
  /** The page a crawled document was read from; null (or absent) for a file. */
  url?: string | null;
  /** A citation's URL with a text fragment (`#:~:text=`) that lands on its quote; null for a file. */
  link?: string | null;
}

/**
 * Where a citation or passage opens on the live site: a citation's link (its URL with a text
 * fragment of the quote), else the page's URL; null for a file, or for anything but http(s).
 */
export function liveLink(item: LiveAddress): string | null {
  const link = item.link || item.url;
  return typeof link === 'string' && /^https?:\/\//i.test(link) ? link : null;
}

const DIRECTIVE = '#:~:text=';

/**
 * Where a place's citations (one chip) open on the live site: one link naming every quote, as a
 * text fragment may (`#:~:text=a&text=b`: the browser highlights each, scrolled to the first);
 * the first item's link when they are not all text fragments of one page; null for a file.
 */
export function placeLink(items: LiveAddress[]): string | null {
  const links = items.map(liveLink);
  const first = links[0];
  if (!first) return null;
  const base = first.split('#')[0];
  const directives: string[] = [];
  for (const link of links) {
    const at = link?.indexOf(DIRECTIVE) ?? -1;
    if (!link || at < 0 || link.slice(0, at) !== base) return first;
    const directive = link.slice(at + DIRECTIVE.length);
    if (!directives.includes(directive)) directives.push(directive);
  }
  return `${base}${DIRECTIVE}${directives.join('&text=')}`;
}

/** True when a document's stored text is Markdown (kind from GET /v1/sources, else the file extension). */
export function isMarkdown(source: { kind?: string; path?: string; docId?: string } | undefined): boolean {
  if (source?.kind) return source.kind === 'markdown';
  return /\.(md|markdown|mdx)$/i.test(source?.path || source?.docId || '');
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === (b ?? '').trim().toLowerCase();
}

// How a passage or citation names where it comes from: the file path (or the title when the
// server gives no path), then the page or the heading breadcrumb when the server knows them.

/** The document's name: its relative path, else its title, else its id. */
export function sourceName(item) {
  return item.path || item.title || item.docId;
}

/** "p. 3" or "Options › port", or "" when the server gives neither. */
export function placeDetail(item) {
  const parts = [];
  if (Array.isArray(item.headingPath) && item.headingPath.length > 0) parts.push(item.headingPath.join(' › '));
  if (typeof item.page === 'number') parts.push(`p. ${item.page}`);
  return parts.join(' · ');
}

/** One line: "guide/setup.md › Install › npm" or "report.pdf · p. 3". */
export function placeLabel(item) {
  const detail = placeDetail(item);
  if (!detail) return sourceName(item);
  return `${sourceName(item)}${item.headingPath?.length ? ' › ' : ' · '}${detail}`;
}

/** The parts of a place as elements: the name, then the breadcrumb or page in a quieter tone. */
export function placeNodes(item) {
  const name = document.createElement('span');
  name.className = 'place-name';
  name.textContent = sourceName(item);
  const detail = placeDetail(item);
  if (!detail) return [name];
  const rest = document.createElement('span');
  rest.className = 'place-detail';
  rest.textContent = detail;
  return [name, rest];
}

/**
 * Where a citation or passage opens on the live site: a citation's link (its URL with a text
 * fragment of the quote), else the page's URL; null for a file, or for anything but http(s).
 */
export function liveLink(item) {
  const link = item.link || item.url;
  return typeof link === 'string' && /^https?:\/\//i.test(link) ? link : null;
}

/** True when a document's stored text is Markdown (kind from GET /v1/sources, else the file extension). */
export function isMarkdown(source) {
  if (source?.kind) return source.kind === 'markdown';
  return /\.(md|markdown|mdx)$/i.test(source?.path || source?.docId || '');
}

/**
 * The key that makes one page one document: the URL without its fragment or credentials, its
 * path without a trailing slash (`/guide/` and `/guide` are one page; the root stays `/`). The
 * scheme, host and port are already lower-cased and normalised by URL. Hand-written on WHATWG URL:
 * normalize-url's defaults (dropping `www.`, sorting the query, stripping index.html) would merge
 * pages a site serves apart; these are the only equivalences the crawl assumes.
 */
export function pageKey(url: URL | string): string {
  const parsed = new URL(url);
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  if (parsed.pathname.length > 1 && parsed.pathname.endsWith('/')) parsed.pathname = parsed.pathname.replace(/\/+$/, '') || '/';
  return parsed.href;
}

/**
 * A crawled page's document id and path: its host and path (and query), without the scheme, so
 * that it reads as a place (`docs.example.com/guide/install`) and keeps no empty segment in
 * GET /v1/sources/:docId.
 */
export function pageDocumentId(url: string): string {
  const parsed = new URL(pageKey(url));
  const path = parsed.pathname === '/' ? '' : parsed.pathname;
  return `${parsed.host}${path}${parsed.search}`;
}

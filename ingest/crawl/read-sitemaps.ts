import { gunzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { AddressRefusedError } from './address-refused-error.js';
import type { Fetcher } from './create-fetcher.js';
import { PageFetchError } from './page-fetch-error.js';

/** Sitemaps read in one crawl at most (an index pointing at indexes could otherwise go on). */
const MAX_SITEMAPS = 50;
/** The sitemap protocol's own limit of one file, uncompressed. */
const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;

/** The page URLs the sitemaps list, and the sitemaps that could not be read (with why). */
export interface SitemapPages {
  urls: string[];
  failures: { url: string; reason: string }[];
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, isArray: (name) => name === 'url' || name === 'sitemap' });

/**
 * Reads sitemaps (sitemaps.org protocol): `<urlset>` files give page URLs, `<sitemapindex>`
 * files more sitemaps, gzipped or not. `guessed` sitemaps (/sitemap.xml when robots.txt names
 * none) may be missing without it being a failure. Parsed by fast-xml-parser.
 */
export async function readSitemaps(listed: string[], guessed: string[], fetcher: Fetcher): Promise<SitemapPages> {
  const queue = [...listed.map((url) => ({ url, guessed: false })), ...guessed.map((url) => ({ url, guessed: true }))];
  const seen = new Set<string>();
  const result: SitemapPages = { urls: [], failures: [] };
  while (queue.length > 0 && seen.size < MAX_SITEMAPS) {
    const { url, guessed: optional } = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    try {
      const response = await fetcher.fetch(url, { maxBytes: MAX_SITEMAP_BYTES, accept: 'application/xml,text/xml;q=0.9,*/*;q=0.5' });
      if (response.status < 200 || response.status >= 300) {
        if (!optional) result.failures.push({ url, reason: `sitemap could not be read (HTTP ${response.status})` });
        continue;
      }
      const { pages, sitemaps } = parseSitemap(ungzip(response.body));
      result.urls.push(...pages);
      queue.push(...sitemaps.map((child) => ({ url: child, guessed: false })));
    } catch (error) {
      if (AddressRefusedError.isInstance(error)) throw error;
      const reason = PageFetchError.isInstance(error) ? error.reason : (error as Error).message;
      if (!optional) result.failures.push({ url, reason: `sitemap could not be read (${reason})` });
    }
  }
  return result;
}

/** The page URLs and child sitemaps of one sitemap file; anything else (a HTML page at /sitemap.xml) gives none. */
export function parseSitemap(bytes: Buffer): { pages: string[]; sitemaps: string[] } {
  const document = parser.parse(bytes.toString('utf8')) as {
    urlset?: { url?: { loc?: unknown }[] };
    sitemapindex?: { sitemap?: { loc?: unknown }[] };
  };
  const locations = (entries: { loc?: unknown }[] | undefined) =>
    (entries ?? []).map((entry) => (typeof entry.loc === 'string' ? entry.loc.trim() : '')).filter((loc) => /^https?:\/\//i.test(loc));
  return { pages: locations(document.urlset?.url), sitemaps: locations(document.sitemapindex?.sitemap) };
}

function ungzip(bytes: Buffer): Buffer {
  const gzipped = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return gzipped ? gunzipSync(bytes, { maxOutputLength: MAX_SITEMAP_BYTES }) : bytes;
}

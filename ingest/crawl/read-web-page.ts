import { extname } from 'node:path';
import { contentProblem, type IngestLimits } from '../ingest-limits.js';
import { readAs, type ReadDocument } from '../read-document.js';

/** Parses checked bytes as a file of `extension`: in the crawl, through the ingest's bounded reader (ingest/file-reader.ts). */
export type ReadBytes = (extension: string, bytes: Uint8Array) => Promise<ReadDocument | { skip: string }>;
import { htmlPageParts } from './html-page-parts.js';

/** A fetched page as the crawl uses it: its document (or why it is not indexed), and where it points. */
export interface WebPage {
  read: ReadDocument | { skip: string };
  /** Links to follow (none when the page says nofollow). */
  links: string[];
  /** The URL the page names as its own (`<link rel=canonical>` or a Link header), or null. */
  canonical: string | null;
}

/** Content types and the reader (by file extension) each goes through. */
const READER_OF_TYPE: Record<string, string> = {
  'text/html': '.html',
  'application/xhtml+xml': '.html',
  'text/markdown': '.md',
  'text/x-markdown': '.md',
  'text/plain': '.txt',
  'application/pdf': '.pdf',
};

/** Types that say nothing of the content: the URL's extension decides. */
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/**
 * Reads a fetched page by its content type through the folder ingest's readers: HTML (its main
 * content, see html-page-parts.ts), Markdown (also text/plain at a .md URL), plain text and PDF,
 * each within the same limits as a file, parsed by `read`. `robotsToken` is the crawler's name in
 * robots meta tags.
 */
export async function readWebPage(
  response: { url: string; headers: Record<string, string>; body: Buffer },
  limits: IngestLimits,
  robotsToken: string,
  read: ReadBytes = readAs,
): Promise<WebPage> {
  const [type, ...parameters] = (response.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  const extension = readerExtension(type, new URL(response.url).pathname);
  const headerRobots = robotsHeader(response.headers['x-robots-tag'], robotsToken);
  const linkCanonical = canonicalFromLinkHeader(response.headers.link, response.url);
  if (!extension) return { read: { skip: `unsupported content type ${type || '(none)'}` }, links: [], canonical: linkCanonical };
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  const bytes = extension === '.pdf' ? response.body : toUtf8(response.body, charset, extension === '.html');
  const problem = await contentProblem(extension, bytes, limits);
  if (problem) return { read: { skip: problem }, links: [], canonical: linkCanonical };
  if (extension !== '.html') {
    return { read: headerRobots.includes('noindex') ? noindex() : await read(extension, bytes), links: [], canonical: linkCanonical };
  }
  const parts = htmlPageParts(bytes.toString('utf8'), response.url, robotsToken);
  const robots = [...headerRobots, ...parts.robots];
  const none = robots.includes('none');
  return {
    read: none || robots.includes('noindex') ? noindex() : await read('.html', Buffer.from(parts.mainHtml, 'utf8')),
    links: none || robots.includes('nofollow') ? [] : parts.links,
    canonical: parts.canonical ?? linkCanonical,
  };
}

function noindex(): { skip: string } {
  return { skip: 'the page asks not to be indexed (noindex)' };
}

function readerExtension(type: string, pathname: string): string | undefined {
  const byPath = extname(pathname).toLowerCase();
  if (UNTYPED.has(type)) return ['.html', '.htm', '.md', '.markdown', '.txt', '.pdf'].includes(byPath) ? normalise(byPath) : undefined;
  // Markdown is often served as text/plain: its extension says what it is.
  if (type === 'text/plain' && (byPath === '.md' || byPath === '.markdown')) return '.md';
  return READER_OF_TYPE[type];
}

function normalise(extension: string): string {
  return extension === '.htm' ? '.html' : extension === '.markdown' ? '.md' : extension;
}

/**
 * The body as UTF-8: decoded from the charset the Content-Type names, or for HTML a
 * `<meta charset>` near its start, else taken as UTF-8 (the readers' encoding).
 */
function toUtf8(body: Buffer, charset: string | undefined, html: boolean): Buffer {
  const declared = charset ?? (html ? metaCharset(body) : undefined);
  if (!declared || /^utf-?8$/i.test(declared)) return body;
  try {
    return Buffer.from(new TextDecoder(declared).decode(body), 'utf8');
  } catch {
    return body; // an unknown label: read as UTF-8, as browsers fall back
  }
}

function metaCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, 1024).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

/** X-Robots-Tag directives for every crawler, or for this one (`verbatimbot: noindex`), lower case. */
function robotsHeader(value: string | undefined, robotsToken: string): string[] {
  if (!value) return [];
  return value
    .toLowerCase()
    .split(',')
    .map((part) => part.trim())
    .map((part) => {
      const named = /^([\w-]+):\s*(.+)$/.exec(part);
      if (!named) return part;
      return named[1] === robotsToken ? named[2] : '';
    })
    .filter(Boolean);
}

/** `Link: <https://example.com/page>; rel="canonical"`, as servers send it for PDFs and other non-HTML pages. */
function canonicalFromLinkHeader(value: string | undefined, base: string): string | null {
  const match = value ? /<([^>]+)>\s*;[^,]*\brel="?canonical"?/i.exec(value) : null;
  if (!match) return null;
  try {
    const url = new URL(match[1], base);
    url.hash = '';
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

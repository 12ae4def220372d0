import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Config } from '../config/load-config.js';
import type { EmbedderIdentity } from '../core/contracts/passage-store.js';
import { crawlSettingsFrom } from '../ingest/crawl/crawl-settings.js';
import { crawlSite } from '../ingest/crawl/crawl-site.js';
import { crawlSource } from '../ingest/crawl/crawl-source.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { DEFAULT_INGEST_LIMITS } from '../ingest/ingest-limits.js';

/** One run of the crawl bench (bench/results: `crawl`). */
export interface CrawlBenchRow {
  pages: number;
  /** Bytes of HTML per page, about. */
  pageBytes: number;
  concurrency: number;
  /** The crawl alone: fetch, parse, extract, no embedding. */
  crawlSeconds: number;
  pagesPerSecond: number;
  /** `npm run ingest -- <URL>` into an empty index: crawl, chunk, embed, write. */
  ingestSeconds: number;
  chunks: number;
  /** The same again, the site unchanged: every page answers 304, nothing is embedded. */
  recrawlSeconds: number;
  recrawlNotModified: number;
  recrawlEmbeddedChunks: number;
}

/**
 * A generated docs site on loopback: an index page linking to `pages` pages (each linking to its
 * neighbours, in the layout of a docs generator), a robots.txt and a sitemap; ETag and 304 as a
 * static server sends them. Deterministic: page i's text is passage i.
 */
async function serveGeneratedSite(passages: string[]) {
  const page = (title: string, body: string, links: string[]) =>
    `<!doctype html><html><head><title>${title} | Bench Docs</title></head><body><header>Bench Docs</header>` +
    `<nav>${links.map((link) => `<a href="${link}">${link}</a>`).join(' ')}</nav><main><h1>${title}</h1>${body}</main><footer>Footer</footer></body></html>`;
  const bodies = new Map<string, string>();
  bodies.set(
    '/docs/',
    page(
      'Index',
      '<p>All the pages.</p>',
      passages.map((_, i) => `/docs/page-${i}`),
    ),
  );
  passages.forEach((text, i) => {
    const neighbours = [i - 1, i + 1].filter((n) => n >= 0 && n < passages.length).map((n) => `/docs/page-${n}`);
    const paragraphs = text
      .split(/(?<=\.) /)
      .map((sentence) => `<p>${sentence}</p>`)
      .join('');
    bodies.set(`/docs/page-${i}`, page(`Page ${i}`, paragraphs, ['/docs/', ...neighbours]));
  });
  let notModified = 0;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://bench').pathname;
    if (path === '/robots.txt') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    const body = bodies.get(path);
    if (!body) return void response.writeHead(404).end();
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) {
      notModified++;
      return void response.writeHead(304, { etag }).end();
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    start: `http://127.0.0.1:${port}/docs/`,
    pageBytes: Math.round([...bodies.values()].reduce((sum, body) => sum + body.length, 0) / bodies.size),
    notModified: () => notModified,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Pages per second crawling a generated site from loopback (the crawl alone, then with
 * embedding into an index), and a re-crawl of the unchanged site. Loopback has no network
 * latency: the figures are the crawler's own cost (parsing, main content, readers), the floor a
 * real site adds its latency and CRAWL_DELAY_MS to.
 */
export async function benchCrawl(options: {
  config: Config;
  passages: string[];
  embeddings: EmbeddingsInterface;
  identity: EmbedderIdentity;
  workDir: string;
  log: (line: string) => void;
}): Promise<CrawlBenchRow> {
  const site = await serveGeneratedSite(options.passages);
  // Loopback is a private address, and a bench measures the crawler, not the politeness delay.
  const settings = {
    ...crawlSettingsFrom(options.config),
    allowPrivate: 'all' as const,
    delayMs: 0,
    maxPages: options.passages.length + 10,
  };
  const indexDir = join(options.workDir, 'crawl-index');
  try {
    options.log(`crawl: ${options.passages.length + 1} pages from loopback`);
    let started = performance.now();
    const crawled = await crawlSite(site.start, { settings, limits: DEFAULT_INGEST_LIMITS });
    const crawlSeconds = (performance.now() - started) / 1000;
    const pages = crawled.pages.length;

    const ingest = (embeddings: EmbeddingsInterface) =>
      ingestDocuments({
        sourceDir: site.start,
        load: crawlSource(site.start, { settings, limits: DEFAULT_INGEST_LIMITS }),
        indexDir,
        embeddings,
        embedder: options.identity,
        chunking: { chunkSize: options.config.CHUNK_SIZE, chunkOverlap: options.config.CHUNK_OVERLAP },
      });
    options.log('crawl: ingest from the URL');
    started = performance.now();
    const first = await ingest(options.embeddings);
    const ingestSeconds = (performance.now() - started) / 1000;
    options.log('crawl: re-crawl, nothing changed');
    const before = site.notModified();
    started = performance.now();
    const again = await ingest(options.embeddings);
    const recrawlSeconds = (performance.now() - started) / 1000;
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      pages,
      pageBytes: site.pageBytes,
      concurrency: settings.concurrency,
      crawlSeconds: round(crawlSeconds),
      pagesPerSecond: Math.round(pages / crawlSeconds),
      ingestSeconds: round(ingestSeconds),
      chunks: first.chunks,
      recrawlSeconds: round(recrawlSeconds),
      recrawlNotModified: site.notModified() - before,
      recrawlEmbeddedChunks: again.embeddedChunks,
    };
  } finally {
    await site.close();
    await rm(indexDir, { recursive: true, force: true });
  }
}

/** The crawl bench as Markdown. */
export function renderCrawlMarkdown(row: CrawlBenchRow): string[] {
  return [
    '## Crawl (a generated docs site on loopback)',
    '',
    '| pages | HTML bytes/page | concurrency | crawl s | pages/s | ingest from the URL s (chunks) | re-crawl unchanged s | 304s | chunks embedded on re-crawl |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${row.pages} | ${row.pageBytes} | ${row.concurrency} | ${row.crawlSeconds} | ${row.pagesPerSecond} | ${row.ingestSeconds} (${row.chunks}) | ${row.recrawlSeconds} | ${row.recrawlNotModified} | ${row.recrawlEmbeddedChunks} |`,
    '',
  ];
}

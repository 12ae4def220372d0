import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../store/index-files.js';
import { loadSearchIndex } from '../../store/load-index.js';
import { RecordingEmbeddings } from '../../test/fakes/recording-embeddings.js';
import { fixtureRoutes, sitePage, startDocsSite, type DocsSite } from '../../test/helpers/docs-site-server.js';
import { documentText, indexChunks, LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../../test/helpers/local-engine.js';
import { testCrawlSettings } from '../../test/helpers/test-crawl-settings.js';
import { ingestDocuments, type IngestSummary } from '../ingest-documents.js';
import { DEFAULT_INGEST_LIMITS } from '../ingest-limits.js';
import type { CrawlSettings } from './crawl-settings.js';
import { crawlSource } from './crawl-source.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };

let site: DocsSite;
let indexDir: string;
let first: { summary: IngestSummary; embeddings: RecordingEmbeddings };
let host: string;

async function crawl(into: string, settings: Partial<CrawlSettings> = {}, limits = DEFAULT_INGEST_LIMITS) {
  const embeddings = new RecordingEmbeddings(localEmbeddings());
  const summary = await ingestDocuments({
    sourceDir: `${site.origin}/docs/`,
    load: crawlSource(`${site.origin}/docs/`, { settings: testCrawlSettings(settings), limits }),
    indexDir: into,
    embeddings,
    embedder: LOCAL_IDENTITY,
    chunking,
  });
  return { summary, embeddings };
}

/** Puts the fixture's routes back after a test changed the site. */
function restoreSite(): void {
  site.routes.clear();
  for (const [path, route] of fixtureRoutes(site.origin)) site.routes.set(path, route);
}

const reasonFor = (summary: IngestSummary, path: string) => summary.skipped.find((skip) => skip.path === `${site.origin}${path}`)?.reason;

beforeAll(async () => {
  site = await startDocsSite();
  host = new URL(site.origin).host;
  indexDir = join(temporaryDir(), 'index');
  first = await crawl(indexDir);
}, 30_000);

afterAll(async () => {
  await site?.close();
});

describe('crawling a docs site into an index', () => {
  it('indexes each page once, by its content type, named by host and path, with its URL', async () => {
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    const documents = await index.listDocuments();
    expect(documents.map((document) => [document.docId, document.kind])).toEqual([
      [host + '/docs', 'html'],
      [host + '/docs/busy', 'html'],
      [host + '/docs/faq', 'html'],
      [host + '/docs/guide/configure', 'html'],
      [host + '/docs/guide/install', 'html'],
      [host + '/docs/manual.pdf', 'pdf'],
      [host + '/docs/notes.md', 'markdown'],
      [host + '/docs/orphan', 'html'],
      [host + '/docs/readme.txt', 'text'],
    ]);
    const configure = documents.find((document) => document.docId === `${host}/docs/guide/configure`)!;
    // The redirect's target is the page's URL: /docs/guide/configure → /docs/guide/configure/.
    expect(configure).toMatchObject({
      url: `${site.origin}/docs/guide/configure/`,
      title: 'Configuring the controller',
    });
    const manifest = await readManifest(indexDir);
    expect(manifest.sourceDir).toBe(`${site.origin}/docs/`);
    expect(manifest.documents.find((document) => document.docId === configure.docId)).toMatchObject({
      etag: expect.stringMatching(/^"[0-9a-f]{40}"$/),
      lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT',
    });
  });

  it("stores an HTML page's main content, not its header, navigation, sidebar or footer", async () => {
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    const docId = `${host}/docs/guide/install`;
    const text = await documentText(index, docId);
    expect(text).toBe(
      [
        'Installing the controller',
        'Requirements',
        "The controller needs Node.js 20 and a network link to every crane's programmable logic controller.",
        'Start',
        'The harbour crane controller listens on port 7070 by default, and on the port named by CRANE_PORT when it is set.',
        'crane-controller start --port 7070',
      ].join('\n\n'),
    );
    const blocks = (await index.getBlocks(docId, 0, text.length))!;
    expect(blocks.find((block) => block.kind === 'paragraph')?.headingPath).toEqual(['Installing the controller', 'Requirements']);
  });

  it('obeys robots.txt, uses the sitemap, and stays under the start folder', () => {
    expect(site.requestsFor('/robots.txt')).toHaveLength(1);
    expect(site.requestsFor('/sitemap.xml')).toHaveLength(1);
    expect(site.requestsFor('/docs/private/secret')).toEqual([]);
    expect(reasonFor(first.summary, '/docs/private/secret')).toBe('disallowed by robots.txt');
    // Linked from no page: found through the sitemap only.
    expect(site.requestsFor('/docs/orphan')).toHaveLength(1);
    // Outside /docs/, though linked and listed in the sitemap: neither fetched nor reported.
    expect(site.requestsFor('/blog/post')).toEqual([]);
    expect(reasonFor(first.summary, '/blog/post')).toBeUndefined();
    expect(site.requests.every((request) => request.headers['user-agent'] === 'VerbatimBot/0.1 (test)')).toBe(true);
  });

  it('resolves redirects, canonical links, trailing slashes and fragments to one document; drops pages with the same text', () => {
    expect(reasonFor(first.summary, '/docs/old-install')).toBe(`same page as ${site.origin}/docs/guide/install (by a redirect)`);
    expect(reasonFor(first.summary, '/docs/print/install')).toBe(`same page as ${site.origin}/docs/guide/install (by its canonical URL)`);
    expect(reasonFor(first.summary, '/docs/install-copy')).toBe(`same content as ${site.origin}/docs/guide/install`);
    // Linked as guide/install#requirements and listed as guide/install: fetched once, and once more at the end of old-install's redirect.
    expect(site.requestsFor('/docs/guide/install')).toHaveLength(2);
    expect(site.requestsFor('/docs/guide/configure/')).toHaveLength(1);
  });

  it('reports and skips missing, failing, slow and oversized pages; waits as a 429 asks', () => {
    expect(reasonFor(first.summary, '/docs/missing')).toBe('HTTP 404');
    expect(reasonFor(first.summary, '/docs/broken')).toBe('HTTP 500');
    expect(reasonFor(first.summary, '/docs/slow')).toBe('timed out after 2000 ms (CRAWL_TIMEOUT_MS)');
    expect(reasonFor(first.summary, '/docs/huge')).toBe('larger than 200 KB (CRAWL_MAX_PAGE_SIZE)');
    const busy = site.requestsFor('/docs/busy');
    expect(busy).toHaveLength(2);
    // Retry-After: 1 → the second request a second after the first (timer granularity allowed for).
    expect(busy[1].at - busy[0].at).toBeGreaterThanOrEqual(990);
    expect(reasonFor(first.summary, '/docs/busy')).toBeUndefined();
    expect(first.summary.skipped).toHaveLength(8);
  });

  it('skips a page whose parser runs out of memory (INGEST_MAX_PARSE_MEMORY), as a file would be, and crawls the rest', async () => {
    // 150 kB of inline constructs: hundreds of MB of micromark tree, within every limit checked before parsing.
    site.routes.set('/docs/heavy.md', { status: 200, type: 'text/markdown; charset=utf-8', body: 'word *em* [link](x) '.repeat(7_500) });
    const sitemap = site.routes.get('/sitemap.xml') as { body: string };
    site.routes.set('/sitemap.xml', {
      ...sitemap,
      status: 200,
      body: sitemap.body.replace('</urlset>', `<url><loc>${site.origin}/docs/heavy.md</loc></url></urlset>`),
    });
    try {
      const { summary } = await crawl(
        join(temporaryDir(), 'index'),
        {},
        { ...DEFAULT_INGEST_LIMITS, maxParseMemoryBytes: 64 * 1024 * 1024 },
      );
      expect(reasonFor(summary, '/docs/heavy.md')).toBe('needs more than 64 MB of memory to read (INGEST_MAX_PARSE_MEMORY)');
      expect(summary.documents).toBe(first.summary.documents);
    } finally {
      restoreSite();
    }
  }, 60_000);

  it('re-crawls asking for changes only: unchanged pages are kept without embedding, changed and new ones embedded, gone ones dropped', async () => {
    const recrawlDir = join(temporaryDir(), 'index');
    await crawl(recrawlDir);
    const before = new Map(
      (await indexChunks(await loadSearchIndex(recrawlDir, LOCAL_IDENTITY))).map((chunk) => [chunk.text, chunk.docId]),
    );
    const requestsBefore = site.requests.length;

    site.routes.set(
      '/docs/guide/configure/',
      sitePage(
        '<h1>Configuring the controller</h1><p>Each crane now has a lift limit and a speed limit, set per crane in crane.toml.</p>',
        'Configure',
      ),
    );
    site.routes.set('/docs/faq', { status: 410, type: 'text/plain', body: 'gone' });
    site.routes.set(
      '/docs/new-page',
      sitePage('<h1>Night shifts</h1><p>Night shifts run the cranes at half speed under floodlights.</p>', 'Night'),
    );
    const sitemap = site.routes.get('/sitemap.xml') as { body: string };
    site.routes.set('/sitemap.xml', {
      ...sitemap,
      status: 200,
      body: sitemap.body.replace('</urlset>', `<url><loc>${site.origin}/docs/new-page</loc></url></urlset>`),
    });
    try {
      const again = await crawl(recrawlDir);
      const index = await loadSearchIndex(recrawlDir, LOCAL_IDENTITY);
      const chunks = await indexChunks(index);
      const embeddedDocs = new Set(again.embeddings.embeddedDocuments.map((text) => chunks.find((chunk) => chunk.text === text)?.docId));
      expect(embeddedDocs).toEqual(new Set([`${host}/docs/guide/configure`, `${host}/docs/new-page`]));
      expect(again.embeddings.embeddedDocuments).toHaveLength(
        chunks.filter((chunk) => chunk.docId.endsWith('/configure') || chunk.docId.endsWith('/new-page')).length,
      );
      expect(again.summary).toMatchObject({ documents: 9, removedDocuments: 1 });
      expect((await index.listDocuments()).map((document) => document.docId)).not.toContain(`${host}/docs/faq`);
      expect(reasonFor(again.summary, '/docs/faq')).toBe('HTTP 410');
      // Unchanged pages were asked for with their ETag and answered 304; their stored copy is the same text.
      const install = site.requests.slice(requestsBefore).find((request) => request.path === '/docs/guide/install')!;
      expect(install.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);
      expect(install.headers['if-modified-since']).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
      expect(before.get(chunks.find((chunk) => chunk.docId === `${host}/docs/guide/install`)!.text)).toBe(`${host}/docs/guide/install`);
      // A page that fails for a passing reason keeps nothing it never had, and is still reported.
      expect(reasonFor(again.summary, '/docs/broken')).toBe('HTTP 500');
    } finally {
      restoreSite();
    }
  }, 30_000);

  it('keeps the previous copy of a page that fails for a passing reason, and says so', async () => {
    const keptDir = join(temporaryDir(), 'index');
    await crawl(keptDir);
    site.routes.set('/docs/orphan', { status: 503, type: 'text/plain', body: 'maintenance' });
    try {
      const again = await crawl(keptDir, { maxRetries: 0 });
      expect(reasonFor(again.summary, '/docs/orphan')).toBe(
        'HTTP 503 after 1 tries (CRAWL_MAX_RETRIES) (kept the copy from the previous crawl)',
      );
      expect(again.embeddings.embeddedDocuments).toEqual([]);
      const index = await loadSearchIndex(keptDir, LOCAL_IDENTITY);
      expect(await documentText(index, `${host}/docs/orphan`)).toContain('every second Tuesday');
    } finally {
      restoreSite();
    }
  }, 30_000);

  it('stops at the page limit and lists what it did not fetch', async () => {
    const { summary } = await crawl(join(temporaryDir(), 'index'), { maxPages: 3 });
    expect(summary.documents).toBeLessThanOrEqual(3);
    expect(
      summary.skipped.filter((skip) => skip.reason === 'not fetched: the crawl reached 3 pages (CRAWL_MAX_PAGES)').length,
    ).toBeGreaterThan(5);
  }, 30_000);
});

import type { IngestLimits } from '../ingest-limits.js';
import { formatBytes } from '../ingest-limits.js';
import type { ReadDocument } from '../read-document.js';
import { AddressRefusedError } from './address-refused-error.js';
import { createFetcher, type FetchedResponse, type Fetcher, type PageVersion } from './create-fetcher.js';
import { checkStartUrl } from './check-start-url.js';
import { crawlScope, type CrawlScope } from './crawl-scope.js';
import { robotsToken, type CrawlSettings } from './crawl-settings.js';
import { createHostPacer } from './host-pacer.js';
import { PageFetchError } from './page-fetch-error.js';
import { pageKey } from './page-key.js';
import { readRobots, type RobotsRules } from './read-robots.js';
import { readSitemaps } from './read-sitemaps.js';
import { readWebPage, type ReadBytes } from './read-web-page.js';
import { retryAfterMs } from './retry-after.js';
import { runWorkQueue, type WorkQueue } from './run-work-queue.js';

/** A page read (new, or changed since the previous crawl). */
export interface CrawledPage {
  /** Its canonical URL: the `<link rel=canonical>` in scope, else where its redirects ended. */
  url: string;
  read: ReadDocument;
  version: PageVersion;
}

/** A page the site says is unchanged since the previous crawl (304). */
export interface UnchangedPage {
  url: string;
  version: PageVersion;
}

/** A page not read, and why; `transient` when it may be read next time (a server error, a timeout, a limit). */
export interface FailedPage {
  url: string;
  reason: string;
  transient: boolean;
}

export interface CrawlResult {
  pages: CrawledPage[];
  unchanged: UnchangedPage[];
  failed: FailedPage[];
  /** Every in-scope URL found, with its depth: where the next crawl starts. */
  discovered: { url: string; depth: number }[];
}

export interface CrawlOptions {
  settings: CrawlSettings;
  /** What a page's content may be (HTML depth and size, PDF pages), as for a file. */
  limits: IngestLimits;
  /** Parses a page's checked bytes (default: in this thread); the crawl source passes the ingest's bounded reader. */
  read?: ReadBytes;
  /** The previous crawl: each page's version by page key (pageKey of its URL), and what it found. */
  previous?: { versions: ReadonlyMap<string, PageVersion>; discovered: readonly { url: string; depth: number }[] };
  onProgress?: (progress: { done: number; discovered: number }) => void;
}

interface Visit {
  url: string;
  depth: number;
  attempt: number;
}

/**
 * Crawls the site at `start`: robots.txt first (obeyed for the crawler's user agent), then the
 * start page, the pages its sitemaps list and, when re-crawling, the pages the previous crawl
 * found, following links within the scope (crawl-scope.ts), breadth first, `concurrency`
 * requests at a time and at most one per host per delay. Each page is one document: redirects,
 * canonical links, trailing slashes and fragments lead to one key, and a page already read under
 * that key is reported as the same page. A 429 or 503 is tried again after its Retry-After.
 * A page whose previous version is known is asked for only if changed. The start URL is refused
 * up front when it is not an http(s) URL, carries credentials, or resolves to an address the
 * settings do not allow.
 */
export async function crawlSite(start: string, options: CrawlOptions): Promise<CrawlResult> {
  const startUrl = await checkStartUrl(start, options.settings.allowPrivate);
  const fetcher = createFetcher(options.settings);
  try {
    return await new SiteCrawl(startUrl, fetcher, options).run();
  } finally {
    await fetcher.close();
  }
}

class SiteCrawl {
  private readonly result: CrawlResult = { pages: [], unchanged: [], failed: [], discovered: [] };
  private readonly scope: CrawlScope;
  private readonly seen = new Set<string>();
  /** Page key → the URL first read under it. */
  private readonly claimed = new Map<string, string>();
  private readonly settings: CrawlSettings;
  private readonly token: string;
  private robots!: RobotsRules;
  private pacer = createHostPacer(() => 0);
  private started = 0;
  private done = 0;
  private bytes = 0;

  constructor(
    private readonly start: URL,
    private readonly fetcher: Fetcher,
    private readonly options: CrawlOptions,
  ) {
    this.settings = options.settings;
    this.token = robotsToken(this.settings.userAgent);
    this.scope = crawlScope(start, this.settings.include, this.settings.exclude);
  }

  async run(): Promise<CrawlResult> {
    this.robots = await readRobots(this.start.origin, this.fetcher, this.token);
    const delay = Math.max(this.settings.delayMs, this.robots.crawlDelayMs);
    this.pacer = createHostPacer(() => delay);
    const sitemaps = await readSitemaps(
      this.robots.sitemaps,
      this.robots.sitemaps.length ? [] : [`${this.start.origin}/sitemap.xml`],
      this.fetcher,
    );
    for (const failure of sitemaps.failures) this.result.failed.push({ ...failure, transient: true });
    const initial: Visit[] = [];
    const seed = (url: string, depth: number) => {
      const visit = this.admit(url, depth);
      if (visit) initial.push(visit);
    };
    seed(this.start.href, 0);
    for (const url of sitemaps.urls) seed(url, 1);
    for (const { url, depth } of [...(this.options.previous?.discovered ?? [])].sort((a, b) => a.depth - b.depth)) seed(url, depth);
    this.report();
    await runWorkQueue(initial, this.settings.concurrency, (visit, queue) => this.visit(visit, queue));
    return this.result;
  }

  /** A URL to visit when it is in scope and new; an excluded or too deep one is reported. */
  private admit(url: string, depth: number): Visit | null {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (!parsed) return null;
    const key = pageKey(parsed);
    if (this.seen.has(key)) return null;
    const check = this.scope.check(parsed);
    if (check && 'outside' in check) return null;
    this.seen.add(key);
    if (check) return this.fail(url, check.excluded, false);
    if (depth > this.settings.maxDepth) {
      return this.fail(url, `more than ${this.settings.maxDepth} links from the start page (CRAWL_MAX_DEPTH)`, false);
    }
    this.result.discovered.push({ url, depth });
    return { url, depth, attempt: 0 };
  }

  private async visit(visit: Visit, queue: WorkQueue<Visit>): Promise<void> {
    try {
      await this.read(visit, queue);
    } catch (error) {
      if (AddressRefusedError.isInstance(error)) this.fail(visit.url, error.message, false);
      else if (PageFetchError.isInstance(error)) this.fail(visit.url, error.reason, error.transient);
      else this.fail(visit.url, `unreadable: ${(error as Error).message.split('\n')[0]}`, false);
    }
    this.done++;
    this.report();
  }

  private async read(visit: Visit, queue: WorkQueue<Visit>): Promise<void> {
    const limit = this.limitReached();
    if (limit) return void this.fail(visit.url, limit, true);
    const refusal = this.robots.refusal(visit.url);
    if (refusal) return void this.fail(visit.url, refusal, false);
    this.started++;
    const host = new URL(visit.url).host;
    await this.pacer.wait(host);
    const version = this.options.previous?.versions.get(pageKey(visit.url));
    const response = await this.fetcher.fetch(visit.url, { maxBytes: this.settings.maxPageBytes, version });
    this.bytes += response.bytes;
    if (response.status === 429 || response.status === 503) return this.later(visit, response, queue);
    if (response.status === 304 && version) {
      this.claim(pageKey(visit.url), visit.url);
      this.result.unchanged.push({ url: visit.url, version });
      return;
    }
    if (response.status < 200 || response.status >= 300) {
      const gone = response.status === 404 || response.status === 410;
      return void this.fail(visit.url, `HTTP ${response.status}`, !gone && (response.status >= 500 || response.status === 408));
    }
    await this.readPage(visit, response, queue);
  }

  private async readPage(visit: Visit, response: FetchedResponse, queue: WorkQueue<Visit>): Promise<void> {
    const final = new URL(response.url);
    if (pageKey(final) !== pageKey(visit.url)) {
      const check = this.scope.check(final);
      if (check && 'outside' in check) {
        const hint = visit.depth === 0 ? `; start the crawl from ${final.href}` : '';
        return void this.fail(visit.url, `redirects to ${final.href}, outside the crawl${hint}`, false);
      }
      if (check) return void this.fail(visit.url, `redirects to ${final.href}, ${check.excluded}`, false);
      const refusal = this.robots.refusal(final.href);
      if (refusal) return void this.fail(visit.url, `redirects to ${final.href}, ${refusal}`, false);
      this.seen.add(pageKey(final));
    }
    const page = await readWebPage(response, this.options.limits, this.token, this.options.read);
    for (const link of page.links) {
      const next = this.admit(link, visit.depth + 1);
      if (next) queue.add(next);
    }
    if ('skip' in page.read) return void this.fail(visit.url, page.read.skip, false);
    const canonical = page.canonical && !this.scope.check(new URL(page.canonical)) ? page.canonical : null;
    const url = canonical ?? final.href;
    const key = pageKey(url);
    this.seen.add(key);
    const first = this.claimed.get(key);
    if (first) {
      const how = canonical ? 'its canonical URL' : final.href !== visit.url ? 'a redirect' : 'its URL';
      return void this.fail(visit.url, `same page as ${first} (by ${how})`, false);
    }
    this.claim(key, visit.url);
    this.result.pages.push({
      url,
      read: page.read,
      version: { etag: response.headers.etag, lastModified: response.headers['last-modified'] },
    });
  }

  /** A 429 or 503: tried again after the wait it asks for (or a growing one), unless that is too long or too often. */
  private later(visit: Visit, response: FetchedResponse, queue: WorkQueue<Visit>): void {
    const asked = retryAfterMs(response.headers['retry-after']);
    const wait = asked ?? Math.max(this.settings.delayMs, 1000) * 2 ** visit.attempt;
    if (visit.attempt >= this.settings.maxRetries) {
      return void this.fail(visit.url, `HTTP ${response.status} after ${visit.attempt + 1} tries (CRAWL_MAX_RETRIES)`, true);
    }
    if (wait > this.settings.maxRetryAfterMs) {
      const seconds = Math.ceil(wait / 1000);
      return void this.fail(
        visit.url,
        `HTTP ${response.status}, asked to retry after ${seconds} s: longer than CRAWL_MAX_RETRY_AFTER_SECONDS`,
        true,
      );
    }
    this.pacer.pause(new URL(visit.url).host, wait);
    this.started--; // a retry is the same page
    this.done--; // visit() counts this visit as done; the retry will be
    queue.retry({ ...visit, attempt: visit.attempt + 1 });
  }

  private limitReached(): string | null {
    if (this.started >= this.settings.maxPages) return `not fetched: the crawl reached ${this.settings.maxPages} pages (CRAWL_MAX_PAGES)`;
    if (this.bytes >= this.settings.maxTotalBytes) {
      return `not fetched: the crawl reached ${formatBytes(this.settings.maxTotalBytes)} (CRAWL_MAX_TOTAL_SIZE)`;
    }
    return null;
  }

  private claim(key: string, url: string): void {
    this.claimed.set(key, url);
  }

  private fail(url: string, reason: string, transient: boolean): null {
    this.result.failed.push({ url, reason, transient });
    return null;
  }

  private report(): void {
    this.options.onProgress?.({ done: this.done, discovered: this.result.discovered.length });
  }
}

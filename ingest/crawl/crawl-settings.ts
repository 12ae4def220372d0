import type { Config } from '../../config/load-config.js';
import type { FetcherSettings } from './create-fetcher.js';

/** Everything that bounds a crawl; each is a setting (CRAWL_*) with a default (docs/crawling.md). */
export interface CrawlSettings extends FetcherSettings {
  /** Path globs a page must match one of (none: every page under the start URL's folder). */
  include: string[];
  /** Path globs no page may match. */
  exclude: string[];
  /** Requests in flight at once. */
  concurrency: number;
  /** Least time between the starts of two requests to one host (robots.txt's Crawl-delay, when longer, wins). */
  delayMs: number;
  maxPages: number;
  /** Links followed from the start page (a sitemap's pages count as one). */
  maxDepth: number;
  maxPageBytes: number;
  maxTotalBytes: number;
  /** Tries after a 429 or 503 before the page is reported. */
  maxRetries: number;
  /** The longest Retry-After waited for; a longer one reports the page instead. */
  maxRetryAfterMs: number;
}

/** The crawl settings of a parsed configuration. */
export function crawlSettingsFrom(config: Config): CrawlSettings {
  return {
    userAgent: config.CRAWL_USER_AGENT,
    allowPrivate: config.CRAWL_ALLOW_PRIVATE,
    timeoutMs: config.CRAWL_TIMEOUT_MS,
    maxRedirects: config.CRAWL_MAX_REDIRECTS,
    include: config.CRAWL_INCLUDE,
    exclude: config.CRAWL_EXCLUDE,
    concurrency: config.CRAWL_CONCURRENCY,
    delayMs: config.CRAWL_DELAY_MS,
    maxPages: config.CRAWL_MAX_PAGES,
    maxDepth: config.CRAWL_MAX_DEPTH,
    maxPageBytes: config.CRAWL_MAX_PAGE_SIZE,
    maxTotalBytes: config.CRAWL_MAX_TOTAL_SIZE,
    maxRetries: config.CRAWL_MAX_RETRIES,
    maxRetryAfterMs: config.CRAWL_MAX_RETRY_AFTER_SECONDS * 1000,
  };
}

/** The crawler's product token, as robots.txt groups and robots meta tags name it: `verbatimbot` for `VerbatimBot/0.1 (…)`. */
export function robotsToken(userAgent: string): string {
  return userAgent.split(/[/\s]/)[0].toLowerCase();
}

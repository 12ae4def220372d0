import type { CrawlSettings } from '../../ingest/crawl/crawl-settings.js';

/** Crawl settings for a site on loopback: private addresses allowed, no delay, short time limits. */
export function testCrawlSettings(overrides: Partial<CrawlSettings> = {}): CrawlSettings {
  return {
    userAgent: 'VerbatimBot/0.1 (test)',
    allowPrivate: 'all',
    // Long enough for a loaded test machine, short beside the fixture's slow page (6 s).
    timeoutMs: 2000,
    maxRedirects: 5,
    include: [],
    exclude: [],
    concurrency: 4,
    delayMs: 0,
    maxPages: 100,
    maxDepth: 5,
    maxPageBytes: 200 * 1024,
    maxTotalBytes: 50 * 1024 * 1024,
    maxRetries: 2,
    maxRetryAfterMs: 5000,
    ...overrides,
  };
}

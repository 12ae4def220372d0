import robotsParserModule from 'robots-parser';
import { AddressRefusedError } from './address-refused-error.js';
import type { Fetcher } from './create-fetcher.js';
import { PageFetchError } from './page-fetch-error.js';

/** What a site's robots.txt allows the crawler (RFC 9309). */
export interface RobotsRules {
  /** Null when the crawler may fetch `url`, else why not. */
  refusal(url: string): string | null;
  /** The Crawl-delay the site asks of this crawler, in milliseconds (0 when none). */
  crawlDelayMs: number;
  /** Sitemaps the file lists. */
  sitemaps: string[];
}

// robots-parser is CommonJS whose types declare an ES default export: at run time the module itself is the function.
const robotsParser = ((robotsParserModule as unknown as { default?: unknown }).default ??
  robotsParserModule) as typeof robotsParserModule.default;

/** robots.txt is small; more than this is not read (RFC 9309 asks crawlers to read at least 500 KiB). */
const MAX_ROBOTS_BYTES = 512 * 1024;

/**
 * Reads `origin`/robots.txt as RFC 9309 says: a 4xx (none there) allows everything; a server
 * error, a timeout or an unreachable host mean "crawl nothing" until it can be read. Parsed by
 * robots-parser, which matches the groups, wildcards and longest-match precedence of the RFC.
 */
export async function readRobots(origin: string, fetcher: Fetcher, userAgent: string): Promise<RobotsRules> {
  const url = `${origin}/robots.txt`;
  let unreadable: string | null = null;
  let text = '';
  try {
    const response = await fetcher.fetch(url, { maxBytes: MAX_ROBOTS_BYTES, accept: 'text/plain' });
    if (response.status >= 200 && response.status < 300) text = response.body.toString('utf8');
    else if (response.status >= 500 || response.status === 429) unreadable = `HTTP ${response.status}`;
  } catch (error) {
    if (AddressRefusedError.isInstance(error)) throw error;
    if (!PageFetchError.isInstance(error)) throw error;
    // Larger than the limit: RFC 9309 lets a crawler read only the start; the rest is ignored.
    unreadable = error.reason.startsWith('larger than') ? null : error.reason;
  }
  if (unreadable !== null) {
    const reason = `robots.txt could not be read (${unreadable}); RFC 9309 says to crawl nothing until it can be`;
    return { refusal: () => reason, crawlDelayMs: 0, sitemaps: [] };
  }
  const robots = robotsParser(url, text);
  return {
    refusal: (page) => (robots.isDisallowed(page, userAgent) ? 'disallowed by robots.txt' : null),
    crawlDelayMs: Math.max(0, (robots.getCrawlDelay(userAgent) ?? 0) * 1000),
    sitemaps: robots.getSitemaps(),
  };
}

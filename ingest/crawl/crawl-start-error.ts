/** A crawl cannot start: its URL is not one the crawler can fetch (scheme, credentials, malformed). */
export class CrawlStartError extends Error {
  readonly name = 'CrawlStartError';
  readonly code = 'crawl_start';
  static isInstance(error: unknown): error is CrawlStartError {
    return error instanceof Error && error.name === 'CrawlStartError';
  }
}

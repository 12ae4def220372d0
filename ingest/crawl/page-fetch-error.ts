/** One page could not be fetched; `reason` is what the skipped list says, `transient` whether a later crawl may succeed. */
export class PageFetchError extends Error {
  readonly name = 'PageFetchError';
  readonly code = 'page_fetch';
  constructor(
    readonly reason: string,
    /** A server error, a timeout or a network failure, rather than an answer that the page is not there. */
    readonly transient: boolean,
  ) {
    super(reason);
  }
  static isInstance(error: unknown): error is PageFetchError {
    return error instanceof Error && error.name === 'PageFetchError';
  }
}

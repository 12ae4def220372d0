import picomatch from 'picomatch';

/** Which URLs a crawl may visit: the start URL's origin under its path prefix, narrowed by include and exclude patterns. */
export interface CrawlScope {
  /** The origin and path prefix pages must share with the start URL (`https://docs.example.com/guide/`). */
  readonly root: string;
  /** Null when `url` is in scope, else why not ("outside", or the pattern that excludes it). */
  check(url: URL): { outside: true } | { excluded: string } | null;
}

/**
 * The scope of a crawl from `start`: same scheme, host and port; a path under the start URL's
 * folder (`/guide/` for `/guide`, `/guide/` or `/guide/intro.html`); when include patterns are
 * given, a path matching one of them; and no exclude pattern matching. Patterns are globs over
 * the URL path (`/guide/**`, `**\/changelog*`), matched by picomatch.
 */
export function crawlScope(start: URL, include: readonly string[], exclude: readonly string[]): CrawlScope {
  const prefix = pathPrefix(start.pathname);
  const included = include.length > 0 ? picomatch([...include], { dot: true }) : null;
  const excluders = exclude.map((pattern) => ({ pattern, test: picomatch(pattern, { dot: true }) }));
  const startPath = start.pathname;
  return {
    root: `${start.origin}${prefix}`,
    check(url) {
      if (url.origin !== start.origin) return { outside: true };
      const isStart = url.pathname === startPath || url.pathname === prefix;
      if (!isStart && !url.pathname.startsWith(prefix)) return { outside: true };
      const path = decodePath(url.pathname);
      const excluding = excluders.find(({ test }) => test(path));
      if (excluding) return { excluded: `excluded by the pattern ${excluding.pattern} (CRAWL_EXCLUDE)` };
      if (included && !isStart && !included(path)) return { excluded: 'matches no CRAWL_INCLUDE pattern' };
      return null;
    },
  };
}

/** The folder of a start path: itself with a trailing slash, or, for a file name (with an extension), its folder. */
function pathPrefix(pathname: string): string {
  if (pathname.endsWith('/')) return pathname;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return last.includes('.') ? pathname.slice(0, pathname.lastIndexOf('/') + 1) : `${pathname}/`;
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { checkAddress, type PrivateAddresses } from './address-policy.js';
import { CrawlStartError } from './crawl-start-error.js';

/**
 * The URL a crawl starts at, once it is known to be one the crawler may fetch: http or https,
 * without credentials, on a host whose every address is allowed. Checked before any request, so
 * that a refused crawl says so in one line rather than failing page by page (every connection is
 * checked again as it is made: guarded-lookup.ts).
 */
export async function checkStartUrl(start: string, allowed: PrivateAddresses): Promise<URL> {
  const url = parseStart(start);
  await checkStartAddress(url, allowed);
  return url;
}

function parseStart(start: string): URL {
  let url: URL;
  try {
    url = new URL(start);
  } catch {
    throw new CrawlStartError(`Cannot crawl "${start}": not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CrawlStartError(`Cannot crawl ${start}: only http and https URLs are crawled`);
  if (url.username || url.password) {
    throw new CrawlStartError(`Cannot crawl ${url.origin}${url.pathname}: the URL carries credentials, which the crawler never sends`);
  }
  url.hash = '';
  return url;
}

async function checkStartAddress(url: URL, allowed: PrivateAddresses): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return checkAddress(host, allowed, url.href);
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch (error) {
    throw new CrawlStartError(`Cannot crawl ${url.href}: ${host} not found (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`);
  }
  for (const { address } of addresses) checkAddress(address, allowed, url.href);
}

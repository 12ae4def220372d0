import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocsSite, type DocsSite, type Route } from '../../test/helpers/docs-site-server.js';
import { testCrawlSettings } from '../../test/helpers/test-crawl-settings.js';
import { DEFAULT_INGEST_LIMITS } from '../ingest-limits.js';
import { isAllowedAddress } from './address-policy.js';
import { AddressRefusedError } from './address-refused-error.js';
import { CrawlStartError } from './crawl-start-error.js';
import { crawlSite } from './crawl-site.js';

let site: DocsSite;
/** A second site on another loopback address, where the first one's redirects lead. */
let other: DocsSite;

beforeAll(async () => {
  other = await startDocsSite('127.0.0.2');
  site = await startDocsSite('127.0.0.1', (origin) => {
    const page = { status: 200, type: 'text/html', body: '<main><h1>Start</h1><a href="away">away</a> <a href="loop">loop</a></main>' };
    return new Map<string, Route>([
      ['/robots.txt', { status: 404 }],
      ['/docs/', page],
      ['/docs/away', { status: 302, headers: { location: `${other.origin}/docs/` } }],
      ['/docs/loop', { status: 302, headers: { location: `${origin}/docs/loop-again` } }],
      ['/docs/loop-again', { status: 302, headers: { location: `${origin}/docs/loop` } }],
    ]);
  });
});

afterAll(async () => {
  await site?.close();
  await other?.close();
});

const crawlWith = (url: string, allowPrivate: 'all' | string[]) =>
  crawlSite(url, { settings: testCrawlSettings({ allowPrivate }), limits: DEFAULT_INGEST_LIMITS });

describe('the crawler stays on public addresses unless allowed', () => {
  it('refuses a crawl aimed at a loopback address, and one whose name resolves to it, by default', async () => {
    await expect(crawlWith(`${site.origin}/docs/`, [])).rejects.toThrow(AddressRefusedError);
    await expect(crawlWith(`${site.origin}/docs/`, [])).rejects.toThrow(
      `Refused ${site.origin}/docs/: 127.0.0.1 is a loopback address. The crawler reaches only public addresses unless CRAWL_ALLOW_PRIVATE allows others`,
    );
    const byName = site.origin.replace('127.0.0.1', 'localhost');
    await expect(crawlWith(`${byName}/docs/`, [])).rejects.toThrow(/is a loopback address/);
    expect(site.requests).toEqual([]);
  });

  it('refuses a redirect to an address that is not allowed, and never requests it', async () => {
    const result = await crawlWith(`${site.origin}/docs/`, ['127.0.0.1']);
    expect(result.pages.map((page) => page.url)).toEqual([`${site.origin}/docs/`]);
    const away = result.failed.find((failure) => failure.url === `${site.origin}/docs/away`);
    expect(away?.reason).toMatch(/^Refused http:\/\/127\.0\.0\.2:\d+\/docs\/: 127\.0\.0\.2 is a loopback address/);
    expect(other.requests).toEqual([]);
  });

  it('caps redirects', async () => {
    const result = await crawlWith(`${site.origin}/docs/`, 'all');
    expect(result.failed.find((failure) => failure.url === `${site.origin}/docs/loop`)?.reason).toBe(
      'more than 5 redirects (CRAWL_MAX_REDIRECTS)',
    );
  });

  it('sends no credentials: none of its own, and none a URL carries', async () => {
    await crawlWith(`${site.origin}/docs/`, 'all');
    for (const request of site.requests) {
      expect(Object.keys(request.headers).sort()).toEqual(['accept', 'accept-encoding', 'connection', 'host', 'user-agent']);
    }
    await expect(crawlWith(site.origin.replace('http://', 'http://admin:secret@'), 'all')).rejects.toThrow(CrawlStartError);
    await expect(crawlWith('ftp://example.com/docs/', 'all')).rejects.toThrow('only http and https URLs are crawled');
  });
});

describe('isAllowedAddress', () => {
  it('allows public unicast addresses only, by default', () => {
    for (const address of ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '8.8.8.8']) {
      expect(isAllowedAddress(address, [])).toBe(true);
    }
    const refused = [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254', // cloud metadata (link-local)
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1', // IPv4-mapped loopback
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1', // NAT64 of 10.0.0.1
      '224.0.0.1',
      'not an address',
    ];
    for (const address of refused) expect([address, isAllowedAddress(address, [])]).toEqual([address, false]);
  });

  it('allows what CRAWL_ALLOW_PRIVATE lists: all, or ranges and single addresses', () => {
    expect(isAllowedAddress('10.1.2.3', 'all')).toBe(true);
    expect(isAllowedAddress('10.1.2.3', ['10.1.0.0/16'])).toBe(true);
    expect(isAllowedAddress('10.2.0.1', ['10.1.0.0/16'])).toBe(false);
    expect(isAllowedAddress('169.254.169.254', ['10.0.0.0/8'])).toBe(false);
    expect(isAllowedAddress('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(isAllowedAddress('127.0.0.2', ['127.0.0.1'])).toBe(false);
    expect(isAllowedAddress('fd00::5', ['fd00::/8'])).toBe(true);
  });
});

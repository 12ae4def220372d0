import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Fetcher, FetchedResponse } from './create-fetcher.js';
import { readSitemaps } from './read-sitemaps.js';

function fakeFetcher(files: Record<string, Buffer | string>): Fetcher & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async fetch(url): Promise<FetchedResponse> {
      asked.push(url);
      const body = files[url];
      if (body === undefined) return { url, status: 404, headers: {}, body: Buffer.alloc(0), bytes: 0 };
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      return { url, status: 200, headers: {}, body: bytes, bytes: bytes.length };
    },
    close: async () => {},
  };
}

const urlset = (...locs: string[]) =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((loc) => `<url><loc>${loc}</loc></url>`).join('')}</urlset>`;

describe('readSitemaps', () => {
  it('follows a sitemap index to its sitemaps, gzipped or not', async () => {
    const fetcher = fakeFetcher({
      'https://d.example/index.xml': `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://d.example/a.xml</loc></sitemap><sitemap><loc>https://d.example/b.xml.gz</loc></sitemap></sitemapindex>`,
      'https://d.example/a.xml': urlset('https://d.example/one', 'https://d.example/two?x=1&amp;y=2'),
      'https://d.example/b.xml.gz': gzipSync(urlset('https://d.example/three')),
    });
    const { urls, failures } = await readSitemaps(['https://d.example/index.xml'], [], fetcher);
    expect(urls).toEqual(['https://d.example/one', 'https://d.example/two?x=1&y=2', 'https://d.example/three']);
    expect(failures).toEqual([]);
  });

  it('reports a listed sitemap that fails, not a guessed one that is missing', async () => {
    const fetcher = fakeFetcher({ 'https://d.example/junk.xml': '<html>not a sitemap</html>' });
    const result = await readSitemaps(
      ['https://d.example/listed.xml', 'https://d.example/junk.xml'],
      ['https://d.example/sitemap.xml'],
      fetcher,
    );
    expect(result).toEqual({
      urls: [],
      failures: [{ url: 'https://d.example/listed.xml', reason: 'sitemap could not be read (HTTP 404)' }],
    });
    expect(fetcher.asked).toContain('https://d.example/sitemap.xml');
  });
});

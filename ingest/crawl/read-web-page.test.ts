import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST_LIMITS } from '../ingest-limits.js';
import { htmlPageParts } from './html-page-parts.js';
import { readWebPage } from './read-web-page.js';

const URL = 'https://docs.example.com/guide/page';
const read = (body: string | Buffer, headers: Record<string, string>, url = URL) =>
  readWebPage({ url, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8') }, DEFAULT_INGEST_LIMITS, 'verbatimbot');
const text = async (body: string, headers: Record<string, string> = { 'content-type': 'text/html' }) => {
  const page = await read(body, headers);
  return 'skip' in page.read ? page.read.skip : page.read.text;
};

describe('readWebPage', () => {
  it('takes the main content: <main>, else role=main, else a single <article>, else <body> without the site chrome', async () => {
    const chrome = (content: string) =>
      `<title>T</title><header>Site banner</header><nav>Menu</nav>${content}<aside>Sidebar</aside><footer>Legal</footer>`;
    expect(await text(chrome('<main><h1>Main</h1><nav>Local menu</nav><p>Body.</p></main>'))).toBe('Main\n\nBody.');
    expect(await text(chrome('<div role="main"><p>Role main.</p></div>'))).toBe('Role main.');
    expect(await text(chrome('<article><header><h1>Kept</h1></header><p>Article.</p></article>'))).toBe('Kept\n\nArticle.');
    expect(await text(chrome('<div><h1>Body</h1><p>Text.</p></div>'))).toBe('Body\n\nText.');
    expect(await text('<main><h2>Install<a class="headerlink" href="#install">¶</a></h2><p>Run it.</p></main>')).toBe('Install\n\nRun it.');
  });

  it('finds links in the whole page, canonical and base resolved, fragments and other schemes dropped', () => {
    const parts = htmlPageParts(
      '<base href="/base/"><link rel="canonical" href="/guide/page/"><nav><a href="a#x">a</a><a href="mailto:x@y">m</a></nav><main><a href="/b">b</a></main>',
      URL,
      'verbatimbot',
    );
    expect(parts.links).toEqual(['https://docs.example.com/base/a', 'https://docs.example.com/b']);
    expect(parts.canonical).toBe('https://docs.example.com/guide/page/');
  });

  it('honours noindex and nofollow from a robots meta tag, one named after the crawler, or X-Robots-Tag', async () => {
    const page = await read('<meta name="robots" content="noindex"><main><a href="x">x</a><p>Hidden.</p></main>', {
      'content-type': 'text/html',
    });
    expect(page.read).toEqual({ skip: 'the page asks not to be indexed (noindex)' });
    expect(page.links).toEqual(['https://docs.example.com/guide/x']);
    const named = await read('<meta name="VerbatimBot" content="nofollow"><main><a href="x">x</a><p>Shown.</p></main>', {
      'content-type': 'text/html',
    });
    expect(named.links).toEqual([]);
    expect('text' in named.read && named.read.text).toBe('x Shown.'.replace(' ', '\n\n'));
    const header = await read('Plain.', { 'content-type': 'text/plain', 'x-robots-tag': 'otherbot: none, verbatimbot: noindex' });
    expect(header.read).toEqual({ skip: 'the page asks not to be indexed (noindex)' });
  });

  it('reads by content type: Markdown (also text/plain at a .md URL), text, and the declared charset', async () => {
    const markdown = await read('# Title\n\nText.', { 'content-type': 'text/plain' }, 'https://d.example/notes.md');
    expect('kind' in markdown.read && markdown.read.kind).toBe('markdown');
    const latin1 = await read(Buffer.from('<main><p>Caf\xe9 cr\xe8me</p></main>', 'latin1'), {
      'content-type': 'text/html; charset=iso-8859-1',
    });
    expect('text' in latin1.read && latin1.read.text).toBe('Café crème');
    expect((await read('{}', { 'content-type': 'application/json' })).read).toEqual({ skip: 'unsupported content type application/json' });
    expect((await read('<p>x</p>', { 'content-type': 'text/html', link: '<https://d.example/c>; rel="canonical"' })).canonical).toBe(
      'https://d.example/c',
    );
  });
});

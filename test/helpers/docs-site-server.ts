import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../paths.js';
import { makePdf } from './make-pdf.js';

const FIXTURE = join(ROOT, 'test/fixtures/docs-site');

/** What the site answers at one path. */
export interface Response {
  status: number;
  type?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow page). */
  delayMs?: number;
}

/** A path's answer: fixed, or chosen per request (by how often the path was asked for). */
export type Route = Response | ((request: SiteRequest, count: number) => Response);

export interface SiteRequest {
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

/** A docs site on loopback for the crawl tests: routes that can be changed between crawls, and every request it got. */
export interface DocsSite {
  origin: string;
  routes: Map<string, Route>;
  requests: SiteRequest[];
  /** Requests for `path`, in order. */
  requestsFor(path: string): SiteRequest[];
  close(): Promise<void>;
}

/** The fixture's file, with `{origin}` replaced. */
export function fixtureText(name: string, origin: string): string {
  return readFileSync(join(FIXTURE, name), 'utf8').replaceAll('{origin}', origin);
}

/** A page of the site: the fixture's layout (header, navigation, sidebar, footer) around `content`. */
export function sitePage(content: string, title: string, head = ''): Response {
  const layout = readFileSync(join(FIXTURE, 'layout.html'), 'utf8');
  return {
    status: 200,
    type: 'text/html; charset=utf-8',
    body: layout.replace('{title}', title).replace('{head}', head).replace('{content}', content),
  };
}

const page = (file: string, title: string, head = '') => sitePage(readFileSync(join(FIXTURE, file), 'utf8'), title, head);
const redirect = (location: string, status = 301): Response => ({ status, headers: { location } });

/** The fixture site's routes: pages, redirects, a canonical copy, a duplicate, and pages that fail in each way a crawl must report. */
export function fixtureRoutes(origin: string): Map<string, Route> {
  return new Map<string, Route>([
    ['/robots.txt', { status: 200, type: 'text/plain', body: fixtureText('robots.txt', origin) }],
    ['/sitemap.xml', { status: 200, type: 'application/xml', body: fixtureText('sitemap.xml', origin) }],
    ['/docs', redirect('/docs/')],
    ['/docs/', page('docs/index.html', 'Overview')],
    ['/docs/guide/install', page('docs/guide/install.html', 'Installing the controller')],
    ['/docs/guide/configure', redirect('/docs/guide/configure/')],
    ['/docs/guide/configure/', page('docs/guide/configure.html', 'Configuring the controller')],
    ['/docs/faq', page('docs/faq.html', 'Questions')],
    ['/docs/orphan', page('docs/orphan.html', 'Maintenance')],
    ['/docs/notes.md', { status: 200, type: 'text/markdown; charset=utf-8', body: readFileSync(join(FIXTURE, 'docs/notes.md')) }],
    ['/docs/readme.txt', { status: 200, type: 'text/plain; charset=utf-8', body: readFileSync(join(FIXTURE, 'docs/readme.txt')) }],
    [
      '/docs/manual.pdf',
      { status: 200, type: 'application/pdf', body: makePdf(['Grease the spreader twist-locks of every crane once a week.']) },
    ],
    [
      '/docs/print/install',
      page('docs/guide/install.html', 'Install (print)', `<link rel="canonical" href="${origin}/docs/guide/install" />`),
    ],
    ['/docs/install-copy', page('docs/guide/install.html', 'Install (mirror)')],
    ['/docs/old-install', redirect('/docs/guide/install')],
    ['/docs/busy', (_request, count) => (count === 1 ? { status: 429, headers: { 'retry-after': '1' } } : page('docs/busy.html', 'Load'))],
    ['/docs/slow', { ...page('docs/orphan.html', 'Slow'), delayMs: 6000 }],
    ['/docs/huge', sitePage(`<h1>Sensor dump</h1><p>${'reading '.repeat(40_000)}</p>`, 'Sensor dump')],
    ['/docs/broken', { status: 500, type: 'text/plain', body: 'internal error' }],
    ['/docs/private/secret', page('docs/private/secret.html', 'Secret')],
    ['/blog/post', page('blog/post.html', 'Blog')],
  ]);
}

/**
 * Starts the site on `host` (loopback) at a free port. HTML goes out gzipped when the client
 * accepts it; every 200 carries an ETag and a Last-Modified and honours If-None-Match with a 304.
 */
export async function startDocsSite(host = '127.0.0.1', routes?: (origin: string) => Map<string, Route>): Promise<DocsSite> {
  const requests: SiteRequest[] = [];
  const site = { routes: new Map<string, Route>() } as DocsSite;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    const seen: SiteRequest = { path, headers: request.headers, at: Date.now() };
    requests.push(seen);
    const route = site.routes.get(path) ?? { status: 404, type: 'text/plain', body: 'not found' };
    const answer = typeof route === 'function' ? route(seen, requests.filter((r) => r.path === path).length) : route;
    const send = () => {
      const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : (answer.body ?? Buffer.alloc(0));
      const headers: Record<string, string> = { ...(answer.type ? { 'content-type': answer.type } : {}), ...answer.headers };
      if (answer.status === 200) {
        const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
        headers.etag = etag;
        headers['last-modified'] = 'Wed, 01 Jan 2025 00:00:00 GMT';
        if (request.headers['if-none-match'] === etag) {
          response.writeHead(304, headers).end();
          return;
        }
      }
      const gzip = answer.type?.startsWith('text/html') && /gzip/.test(String(request.headers['accept-encoding']));
      const sent = gzip ? gzipSync(body) : body;
      if (gzip) headers['content-encoding'] = 'gzip';
      response.writeHead(answer.status, { ...headers, 'content-length': String(sent.length) }).end(sent);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  for (const [path, route] of (routes ?? fixtureRoutes)(origin)) site.routes.set(path, route);
  return Object.assign(site, {
    origin,
    requests,
    requestsFor: (path: string) => requests.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

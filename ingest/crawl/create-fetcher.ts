import { isIP } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { checkAddress, type PrivateAddresses } from './address-policy.js';
import { AddressRefusedError } from './address-refused-error.js';
import { formatBytes } from '../ingest-limits.js';
import { guardedLookup } from './guarded-lookup.js';
import { PageFetchError } from './page-fetch-error.js';

/** How the crawler fetches: who it says it is, where it may connect, and how long and far it goes. */
export interface FetcherSettings {
  userAgent: string;
  allowPrivate: PrivateAddresses;
  timeoutMs: number;
  maxRedirects: number;
}

/** What a conditional request sends, from the previous crawl's response. */
export interface PageVersion {
  etag?: string;
  lastModified?: string;
}

/** A response after its redirects: the URL it came from, and its body decoded (empty unless 2xx). */
export interface FetchedResponse {
  url: string;
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Bytes received for the body, before decompression. */
  bytes: number;
}

export interface Fetcher {
  /** GETs `url`, following redirects; non-2xx responses are returned without their body. */
  fetch(url: string, options: { maxBytes: number; version?: PageVersion; accept?: string }): Promise<FetchedResponse>;
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The crawler's only way out to the network. It sends no credentials of its own (no cookies, no
 * Authorization, no proxy settings from the environment: undici's Agent reads none), checks the
 * address of every connection, literal or resolved, on every redirect, and stops at the redirect
 * cap, the time limit and the size limit. Redirects are followed here, not by undici, so each hop
 * is checked before it is requested.
 */
export function createFetcher(settings: FetcherSettings): Fetcher {
  const agent = new Agent({
    connect: { lookup: guardedLookup(settings.allowPrivate), timeout: settings.timeoutMs },
    headersTimeout: settings.timeoutMs,
    bodyTimeout: settings.timeoutMs,
  });
  return {
    async fetch(url, options) {
      const signal = AbortSignal.timeout(settings.timeoutMs);
      try {
        return await fetchFollowing(agent, settings, url, options, signal);
      } catch (error) {
        throw asFetchError(error, signal, settings.timeoutMs);
      }
    },
    close: () => agent.close(),
  };
}

async function fetchFollowing(
  agent: Dispatcher,
  settings: FetcherSettings,
  start: string,
  options: { maxBytes: number; version?: PageVersion; accept?: string },
  signal: AbortSignal,
): Promise<FetchedResponse> {
  let url = new URL(start);
  for (let hop = 0; ; hop++) {
    url.username = '';
    url.password = '';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address is connected to without a lookup: it is checked here instead.
    if (isIP(host)) checkAddress(host, settings.allowPrivate, url.href);
    const response = await request(url, {
      dispatcher: agent,
      method: 'GET',
      signal,
      headers: {
        'user-agent': settings.userAgent,
        accept: options.accept ?? 'text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
        ...(options.version?.etag ? { 'if-none-match': options.version.etag } : {}),
        ...(options.version?.lastModified ? { 'if-modified-since': options.version.lastModified } : {}),
      },
    });
    const headers = flatHeaders(response.headers);
    const location = headers.location;
    if (REDIRECTS.has(response.statusCode) && location) {
      await response.body.dump();
      if (hop >= settings.maxRedirects)
        throw new PageFetchError(`more than ${settings.maxRedirects} redirects (CRAWL_MAX_REDIRECTS)`, false);
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new PageFetchError(`redirects to ${next.protocol} URL`, false);
      url = next;
      continue;
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      return { url: url.href, status: response.statusCode, headers, body: Buffer.alloc(0), bytes: 0 };
    }
    const declared = Number(headers['content-length']);
    if (declared > options.maxBytes) {
      response.body.destroy();
      throw tooLarge(options.maxBytes);
    }
    const raw = await readLimited(response.body, options.maxBytes);
    return {
      url: url.href,
      status: response.statusCode,
      headers,
      body: decode(raw, headers['content-encoding'], options.maxBytes),
      bytes: raw.length,
    };
  }
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The body as sent before Content-Encoding; decompressed no further than the size limit (a small gzip can inflate to gigabytes). */
function decode(raw: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  const limit = { maxOutputLength: maxBytes };
  try {
    if (coding === 'identity' || coding === '') return raw;
    if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(raw, limit);
    if (coding === 'br') return brotliDecompressSync(raw, limit);
    if (coding === 'deflate') {
      // "deflate" is zlib-wrapped by the standard, raw by some servers.
      try {
        return inflateSync(raw, limit);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw error;
        return inflateRawSync(raw, limit);
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new PageFetchError(`damaged ${coding} content: ${(error as Error).message}`, false);
  }
  throw new PageFetchError(`unsupported Content-Encoding ${coding}`, false);
}

function tooLarge(maxBytes: number): PageFetchError {
  return new PageFetchError(`larger than ${formatBytes(maxBytes)} (CRAWL_MAX_PAGE_SIZE)`, false);
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Any failure as the error the crawl reports: a refused address as it is, the rest as a PageFetchError naming the cause. */
function asFetchError(error: unknown, signal: AbortSignal, timeoutMs: number): Error {
  if (PageFetchError.isInstance(error) || AddressRefusedError.isInstance(error)) return error;
  const cause = (error as { cause?: unknown })?.cause;
  if (AddressRefusedError.isInstance(cause)) return cause;
  const code = String((error as { code?: unknown })?.code ?? '');
  if (signal.aborted || /TIMEOUT/.test(code)) return new PageFetchError(`timed out after ${timeoutMs} ms (CRAWL_TIMEOUT_MS)`, true);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new PageFetchError('host not found', true);
  const message = error instanceof Error ? error.message : String(error);
  return new PageFetchError(`network error: ${code ? `${code} ` : ''}${message}`.trim(), true);
}

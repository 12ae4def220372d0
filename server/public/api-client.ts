// Talks to the Verbatim API, and turns every way a request can fail into words a person can act on.
import type { Answer, Block, Citation, ConversationTurn, DocumentKind, Passage } from '../../core/contracts/types.js';
import { readEvents } from './read-events.js';

/** What a failed request was, for the page to offer the right way on (a key field, a retry). */
export type RequestErrorKind = 'network' | 'rate_limited' | 'unauthorized' | 'loading' | 'rejected' | 'server' | 'cut';

/** The events of a streamed answer (POST /v1/answer with text/event-stream), as the page reads them. */
export type AnswerStreamEvent =
  | { event: 'passages'; data: { passages: Passage[]; standaloneQuestion: string } }
  | { event: 'delta'; data: { text: string } }
  | { event: 'citation'; data: { citation: Citation } }
  | { event: 'done'; data: Answer };

/** A document as GET /v1/sources lists it. */
export interface SourceSummary {
  docId: string;
  title: string;
  path: string;
  /** The page a crawled document was read from; null (or absent, from an older server) for a file. */
  url?: string | null;
  kind?: DocumentKind;
  pages?: number | null;
  characters?: number;
  chunks?: number;
}

/** How much is indexed in all, as GET /v1/sources gives it beside its first page. */
export interface SourceTotals {
  documents: number;
  chunks: number;
  characters: number;
}

/** A range of a stored document, as GET /v1/sources/:docId gives it. */
export interface SourceRange {
  docId: string;
  title: string;
  path: string;
  /** The page a crawled document was read from; null (or absent, from an older server) for a file. */
  url?: string | null;
  kind: DocumentKind;
  pages: number | null;
  characters: number;
  start: number;
  end: number;
  text: string;
  next: number | null;
  blocks?: Block[];
}

/** Which part of a document to fetch: a window centred on an offset, or from start to end. */
export interface RangeQuery {
  start?: number;
  end?: number;
  around?: number;
  chars?: number;
}

const KEY_STORAGE = 'verbatim-api-key';
/** The collection every request reads (the current conversation's); null: the server's default for the key. */
let collection: string | null = null;

/** A collection as GET /v1/collections lists it. */
export interface CollectionSummary {
  name: string;
  status: 'loading' | 'ready' | 'unavailable';
  documents: number | null;
  chunks: number | null;
  generation: string | null;
  updated: string | null;
}

/** A failed request, its message written for the reader; `kind` tells the page what to offer. */
export class RequestError extends Error {
  readonly kind: RequestErrorKind;
  readonly retryAfterSeconds: number | null;

  constructor(kind: RequestErrorKind, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'RequestError';
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function savedApiKey(): string {
  return localStorage.getItem(KEY_STORAGE) ?? '';
}

export function saveApiKey(key: string): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

/** Makes every later request read `name` (null: the server's default). */
export function useCollection(name: string | null): void {
  collection = name || null;
}

/** `url` with the collection as a query parameter, when one is in use. */
function inCollection(url: string): string {
  if (!collection) return url;
  return `${url}${url.includes('?') ? '&' : '?'}collection=${encodeURIComponent(collection)}`;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const key = savedApiKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/**
 * Asks a question and yields the answer's events ({event, data}) as they stream in. Throws a
 * RequestError when the server cannot be reached, refuses, reports an error event, or the
 * stream ends without its `done` event (a cut connection must never look like a pending answer).
 */
export async function* streamAnswer(
  { question, history }: { question: string; history: ConversationTurn[] },
  signal: AbortSignal,
): AsyncGenerator<AnswerStreamEvent> {
  let response: Response;
  try {
    response = await fetch('/v1/answer', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
      body: JSON.stringify(collection ? { question, history, collection } : { question, history }),
      signal,
    });
  } catch (error) {
    throw signal?.aborted ? error : unreachable();
  }
  if (!response.ok || !response.body) throw await refusal(response);
  let done = false;
  try {
    for await (const message of readEvents(response.body)) {
      if (message.event === 'error') throw serverError((message.data as { error?: { message?: string } } | null)?.error);
      if (message.event === 'done') done = true;
      yield message as AnswerStreamEvent;
    }
  } catch (error) {
    if (signal?.aborted || error instanceof RequestError) throw error;
    throw cut();
  }
  if (!done) throw cut();
}

/** GET /v1/sources: the first page of what is indexed (`sources`), and the `totals` of all of it. */
export async function fetchSources(): Promise<{ sources: SourceSummary[]; totals: SourceTotals }> {
  const body = await getJson<{ sources?: SourceSummary[]; totals?: SourceTotals }>(inCollection('/v1/sources'));
  const sources = body.sources ?? [];
  // An older server lists every document and no totals.
  return { sources, totals: body.totals ?? { documents: sources.length, chunks: 0, characters: 0 } };
}

/**
 * GET /v1/collections: the collections the key may read, and the one a request naming none reads;
 * a server without the endpoint (an older one) has the default collection alone.
 */
export async function fetchCollections(): Promise<{ default: string | null; collections: CollectionSummary[] }> {
  try {
    return await getJson<{ default: string | null; collections: CollectionSummary[] }>('/v1/collections');
  } catch {
    return { default: null, collections: [] };
  }
}

/** Source ranges kept (each at most SOURCE_MAX_CHARS characters), the least recently used dropped first. */
const SOURCE_CACHE_SIZE = 40;
const sourceCache = new Map<string, Promise<SourceRange>>();

/**
 * A range of a stored document: `{docId, title, path, url, kind, pages, characters, start, end, text,
 * next, blocks}` (GET /v1/sources/:docId), fetched once. `range` is `{around, chars}` (a window
 * centred on an offset), `{start, end}`, or nothing (the first page). Every source view goes
 * through here, so the page fetches only the part it shows.
 */
export function fetchSource(docId: string, range: RangeQuery = {}): Promise<SourceRange> {
  const query = new URLSearchParams();
  for (const name of ['start', 'end', 'around', 'chars'] as const) {
    const value = range[name];
    if (value !== undefined) query.set(name, String(Math.max(0, Math.floor(value))));
  }
  if (collection) query.set('collection', collection);
  const url = `/v1/sources/${docId.split('/').map(encodeURIComponent).join('/')}${query.size > 0 ? `?${query}` : ''}`;
  let found = sourceCache.get(url);
  if (found) sourceCache.delete(url);
  else {
    found = getJson<SourceRange>(url);
    found.catch(() => sourceCache.delete(url));
  }
  sourceCache.set(url, found);
  const oldest = sourceCache.keys().next().value;
  if (sourceCache.size > SOURCE_CACHE_SIZE && oldest !== undefined) sourceCache.delete(oldest);
  return found;
}

async function getJson<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: headers() });
  } catch {
    throw unreachable();
  }
  if (!response.ok) throw await refusal(response);
  return (await response.json()) as T;
}

function unreachable(): RequestError {
  return new RequestError('network', 'Could not reach the Verbatim server. Check that it is running, then retry.');
}

function cut(): RequestError {
  return new RequestError('cut', 'The answer was cut off before it was complete (the connection closed). Retry to ask again.');
}

function serverError(error: { message?: string } | undefined): RequestError {
  const message = error?.message ?? 'no reason given';
  return new RequestError('server', `The server could not finish the answer: ${message}`);
}

/** The error for a non-2xx response, from its status, Retry-After and `{error: {code, message}}` body. */
async function refusal(response: Response): Promise<RequestError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const message = body?.error?.message;
  const retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
  switch (response.status) {
    case 401:
      return new RequestError('unauthorized', 'This server needs an API key. Enter it below and the question is asked again.');
    case 429:
      return new RequestError(
        'rate_limited',
        `Too many questions in a short time. Try again in ${retryAfter ?? 60} ${(retryAfter ?? 60) === 1 ? 'second' : 'seconds'}.`,
        retryAfter ?? 60,
      );
    case 503:
      if (body?.error?.code === 'index_loading') {
        return new RequestError(
          'loading',
          `The server is still loading the documents. Try again in ${retryAfter ?? 5} seconds.`,
          retryAfter ?? 5,
        );
      }
      return new RequestError('server', message ?? 'The server is unavailable right now. Try again in a moment.');
    default:
      if (response.status >= 400 && response.status < 500) {
        return new RequestError('rejected', `The question was not accepted: ${message ?? `the server answered ${response.status}`}`);
      }
      return new RequestError(
        'server',
        `The server failed to answer (${response.status}). Retry; if it happens again, the server's log says why.`,
      );
  }
}

/** Seconds from a Retry-After header: a number of seconds or an HTTP date. */
function retryAfterSeconds(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

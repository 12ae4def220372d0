// Talks to the Verbatim API, and turns every way a request can fail into words a person can act on.
import { readEvents } from './read-events.js';

const KEY_STORAGE = 'verbatim-api-key';

/** A failed request, its message written for the reader; `kind` tells the page what to offer. */
export class RequestError extends Error {
  /** kind: network | rate_limited | unauthorized | loading | rejected | server | cut */
  constructor(kind, message, retryAfterSeconds = null) {
    super(message);
    this.name = 'RequestError';
    this.kind = kind;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function savedApiKey() {
  return localStorage.getItem(KEY_STORAGE) ?? '';
}

export function saveApiKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

function headers(extra = {}) {
  const key = savedApiKey();
  return key ? { ...extra, Authorization: `Bearer ${key}` } : extra;
}

/**
 * Asks a question and yields the answer's events ({event, data}) as they stream in. Throws a
 * RequestError when the server cannot be reached, refuses, reports an error event, or the
 * stream ends without its `done` event (a cut connection must never look like a pending answer).
 */
export async function* streamAnswer({ question, history }, signal) {
  let response;
  try {
    response = await fetch('/v1/answer', {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json', Accept: 'text/event-stream' }),
      body: JSON.stringify({ question, history }),
      signal,
    });
  } catch (error) {
    throw signal?.aborted ? error : unreachable();
  }
  if (!response.ok) throw await refusal(response);
  let done = false;
  try {
    for await (const message of readEvents(response.body)) {
      if (message.event === 'error') throw serverError(message.data?.error);
      if (message.event === 'done') done = true;
      yield message;
    }
  } catch (error) {
    if (signal?.aborted || error instanceof RequestError) throw error;
    throw cut();
  }
  if (!done) throw cut();
}

/** GET /v1/sources: the first page of what is indexed (`sources`), and the `totals` of all of it. */
export async function fetchSources() {
  const body = await getJson('/v1/sources');
  const sources = body.sources ?? [];
  return { sources, totals: body.totals ?? { documents: sources.length, chunks: 0, characters: 0 } };
}

/** Source ranges kept (each at most SOURCE_MAX_CHARS characters), the least recently used dropped first. */
const SOURCE_CACHE_SIZE = 40;
const sourceCache = new Map();

/**
 * A range of a stored document: `{docId, title, path, kind, pages, characters, start, end, text,
 * next, blocks}` (GET /v1/sources/:docId), fetched once. `range` is `{around, chars}` (a window
 * centred on an offset), `{start, end}`, or nothing (the first page). Every source view goes
 * through here, so the page fetches only the part it shows.
 */
export function fetchSource(docId, range = {}) {
  const query = new URLSearchParams();
  for (const name of ['start', 'end', 'around', 'chars']) {
    if (range[name] !== undefined) query.set(name, String(Math.max(0, Math.floor(range[name]))));
  }
  const url = `/v1/sources/${docId.split('/').map(encodeURIComponent).join('/')}${query.size > 0 ? `?${query}` : ''}`;
  let found = sourceCache.get(url);
  if (found) sourceCache.delete(url);
  else {
    found = getJson(url);
    found.catch(() => sourceCache.delete(url));
  }
  sourceCache.set(url, found);
  if (sourceCache.size > SOURCE_CACHE_SIZE) sourceCache.delete(sourceCache.keys().next().value);
  return found;
}

async function getJson(url) {
  let response;
  try {
    response = await fetch(url, { headers: headers() });
  } catch {
    throw unreachable();
  }
  if (!response.ok) throw await refusal(response);
  return response.json();
}

function unreachable() {
  return new RequestError('network', 'Could not reach the Verbatim server. Check that it is running, then retry.');
}

function cut() {
  return new RequestError('cut', 'The answer was cut off before it was complete (the connection closed). Retry to ask again.');
}

function serverError(error) {
  const message = error?.message ?? 'no reason given';
  return new RequestError('server', `The server could not finish the answer: ${message}`);
}

/** The error for a non-2xx response, from its status, Retry-After and `{error: {code, message}}` body. */
async function refusal(response) {
  const body = await response.json().catch(() => null);
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
function retryAfterSeconds(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

/** Names of headers and query parameters that can carry a credential: their values never reach a log. */
const SECRET_NAME = /auth|key|token|secret|password|passwd|cookie|signature|session|credential/i;
const REDACTED = '[Redacted]';

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * pino-http's request serializer with every place a key can arrive redacted: credential headers
 * (Authorization, X-API-Key, Cookie, X-Slack-Signature, …) and credential query parameters
 * (`?api_key=`, `?token=`, …) both in `query` and in the logged URL. Matching by name, not by a
 * fixed list, so a client's own header name for its key is covered too.
 */
export function redactRequestLog(request: SerializedRequest): SerializedRequest {
  return {
    ...request,
    url: request.url === undefined ? undefined : redactUrl(request.url),
    query: redactFields(request.query),
    headers: redactFields(request.headers),
  };
}

function redactFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields || typeof fields !== 'object') return fields;
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, SECRET_NAME.test(name) ? REDACTED : value]));
}

function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const redacted = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as sent
      }
      return SECRET_NAME.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, query)}?${redacted}`;
}

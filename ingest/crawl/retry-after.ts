/**
 * How long a Retry-After header asks to wait, in milliseconds: a number of seconds, or an HTTP
 * date (RFC 9110 §10.2.3); null when absent or unreadable. Date.parse reads HTTP dates, so this
 * needs no package.
 */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

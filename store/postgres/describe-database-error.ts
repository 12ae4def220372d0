import { StoreUnavailableError } from '../../core/contracts/store-unavailable-error.js';

/** Error codes (node's, and Postgres's SQLSTATE classes) that mean the database cannot answer now, not that a query is wrong. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
  '57P01',
  '57P03',
]);

/** `host:port/database` of a postgres:// URL: what a message may name (never the user or password). */
export function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * A database failure as one line naming the problem: unreachable, a password refused, no such
 * database, a query cancelled by the statement timeout. Null for errors that are not about the
 * database being available (a bug in a query), which are thrown as they are.
 */
export function describeDatabaseError(error: unknown, address: string): string | null {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  if (code && UNREACHABLE.has(code)) return `The database at ${address} cannot be reached (${code}).`;
  if (code === '57014') return `The database at ${address} took longer than DATABASE_STATEMENT_TIMEOUT_MS to answer.`;
  if (code === '28P01' || code === '28000') return `The database at ${address} refused the user or password of DATABASE_URL.`;
  if (code === '3D000') return `The database at ${address} does not exist: create it, or fix DATABASE_URL.`;
  if (code === '53300') return `The database at ${address} has no connection left (too many clients).`;
  if (
    /Connection terminated|timeout exceeded when trying to connect|Connection ended|connect ECONNREFUSED|not queryable|Client has encountered a connection error/i.test(
      text,
    )
  ) {
    return `The database at ${address} cannot be reached (${text.split('\n')[0].slice(0, 120)}).`;
  }
  return null;
}

/** `error` as StoreUnavailableError when it means the database cannot answer; otherwise as it is. */
export function asStoreError(error: unknown, address: string): unknown {
  const described = describeDatabaseError(error, address);
  return described === null ? error : new StoreUnavailableError(described);
}

import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/**
 * Refuses, on every route, a request whose Host names none of `allowedHosts` (403
 * host_not_allowed), or that comes from a browser page of another origin (403
 * origin_not_allowed): neither the page this server serves (same scheme, host and port as Host)
 * nor one of `corsOrigins`. A web page that rebinds its own name to 127.0.0.1 reaches a loopback
 * server with that name in Host, and any page sends its own origin; CORS alone protects neither
 * the work a request starts nor a response read through the rebound name.
 */
export function guardLocalHost(allowedHosts: string[], corsOrigins: string[]): RequestHandler {
  const allowed = new Set(allowedHosts.map((name) => name.toLowerCase()));
  return (request, _response, next) => {
    const host = (request.get('host') ?? '').toLowerCase();
    if (!allowed.has(hostName(host))) {
      return next(
        new HttpError(
          403,
          'host_not_allowed',
          `This server does not answer to the host "${host}"; add its name to ALLOWED_HOSTS to allow it.`,
        ),
      );
    }
    const origin = request.get('origin');
    if (origin === undefined || corsOrigins.includes(origin) || sameOrigin(origin, host)) return next();
    next(
      new HttpError(403, 'origin_not_allowed', `Requests from the origin ${origin} are not allowed; list it in CORS_ORIGINS to allow it.`),
    );
  };
}

/** `example.com` of `example.com:3000`, `[::1]` of `[::1]:3000`. */
function hostName(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
}

/** Whether a page at `origin` is one this server served under `host` (any scheme: TLS may end at a proxy). */
function sameOrigin(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === host;
  } catch {
    return false;
  }
}

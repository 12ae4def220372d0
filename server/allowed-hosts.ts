/** The names a loopback server always answers to. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host names (without port) a server listening on `host` answers to, or null for no check.
 * On loopback, its own names and `extra` (ALLOWED_HOSTS): a page that rebinds its name to
 * 127.0.0.1 still sends that name, and is refused. On other interfaces the names it is reached
 * by are not known, so only an explicit ALLOWED_HOSTS turns the check on.
 */
export function allowedHostsFor(host: string, extra: string[]): string[] | null {
  const names = extra.map((name) => name.toLowerCase());
  if (isLoopback(host)) return [...LOOPBACK_NAMES, ...names.filter((name) => !LOOPBACK_NAMES.includes(name))];
  return names.length > 0 ? names : null;
}

function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** A pino destination: anything with `write(line)`. */
export interface LogDestination {
  write(line: string): void;
}

interface LogEntry {
  level?: number;
  time?: number;
  msg?: string;
  responseTime?: number;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  err?: { message?: string };
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * A pino destination for a person at a terminal: one short line per entry instead of a JSON
 * object, so a request reads `12:03:04 GET /v1/answer 200 12 ms` and the start-up lines stay on
 * screen. Hand-written rather than pino-pretty: that prints multi-line objects, and this needs
 * only these few fields. Lines that are not pino JSON pass through unchanged.
 */
export function terminalLog(out: LogDestination): LogDestination {
  return {
    write(line: string) {
      let entry: LogEntry;
      try {
        entry = JSON.parse(line) as LogEntry;
      } catch {
        out.write(line);
        return;
      }
      out.write(`${formatLogEntry(entry)}\n`);
    },
  };
}

/** One line: the time, then the request (method, path, status, duration) or the level and message. */
export function formatLogEntry(entry: LogEntry): string {
  const time = new Date(entry.time ?? Date.now()).toTimeString().slice(0, 8);
  const level = LEVELS[entry.level ?? 30];
  const error = entry.err?.message ? `: ${entry.err.message}` : '';
  if (entry.req && entry.res) {
    const duration = entry.responseTime === undefined ? '' : ` ${Math.round(entry.responseTime)} ms`;
    return `${time} ${entry.req.method ?? '?'} ${entry.req.url ?? '?'} ${entry.res.statusCode ?? '?'}${duration}${error}`;
  }
  return `${time} ${level ? `${level} ` : ''}${entry.msg ?? ''}${error}`;
}

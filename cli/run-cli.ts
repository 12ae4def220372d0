import { describeParseError } from './describe-parse-error.js';
import { UsageError } from './usage-error.js';

/** Exit codes every command shares; `refused` is `npm run ask`'s "the sources do not answer it". */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, refused: 3 } as const;

export interface CliOptions {
  /** What the command does, for "<name> could not run: ...". */
  name: string;
  usage: string;
  /** Runs the command; returns EXIT.ok, EXIT.checkFailed when a check it ran failed, or EXIT.refused. */
  main: () => Promise<number>;
}

/**
 * Runs a command and exits with the shared codes: 0 done, 1 a check failed (a threshold, a
 * benchmark's error count), 2 it could not do its job: bad usage (printed with the usage), bad
 * input or settings (our typed errors, whose messages say what to fix), or any other failure;
 * 3 a question was refused as not answered by the sources.
 */
export function runCli(options: CliOptions): void {
  options.main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(describeFailure(error, options));
      process.exit(EXIT.usage);
    },
  );
}

function describeFailure(error: unknown, options: CliOptions): string {
  const message = error instanceof Error ? error.message : String(error);
  const parseError = (error as { code?: unknown })?.code?.toString().startsWith('ERR_PARSE_ARGS');
  if (parseError) return `${describeParseError(error as Error)}\n\n${options.usage}`;
  if (UsageError.isInstance(error)) return `${message}\n\n${options.usage}`;
  // Our typed errors (a fixed name and a code) say what went wrong and how to fix it.
  const typed = error instanceof Error && error.name !== 'Error' && typeof (error as { code?: unknown }).code === 'string';
  return typed ? message : `${options.name} could not run: ${message}`;
}

/**
 * Node's parseArgs errors in the words of this project's other usage errors. Its own messages
 * quote options unevenly (an unknown option with positionals allowed ends `as in '-- "--foo"`,
 * its quotes unbalanced) and say "argument" for an option's value; these name the option once.
 */
export function describeParseError(error: { code?: unknown; message: string }): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.split(' ')[0];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(error.message) ? `${option} needs a value: ${quoted}` : `${option} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${quoted}: this command takes options only`;
    default:
      return error.message;
  }
}

/** Longest part of a requested name a message repeats: a message never grows with the request. */
const NAME_CHARS = 40;
/** Most collection names a message lists. */
const LISTED = 10;

/** A requested name as a message quotes it. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}…` : name);
}

/** `a, b, c` (and `and N more` past ten); `none` for an empty list. */
export function listNames(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, LISTED).join(', ');
  return names.length > LISTED ? `${shown} and ${names.length - LISTED} more` : shown;
}

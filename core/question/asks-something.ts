/** A letter or digit in any script. */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Whether a question asks anything: it holds a letter or digit. A question of only NUL,
 * zero-width or punctuation characters passes "not empty" but asks nothing; every surface
 * (HTTP, chat completions, MCP) refuses it with the same rule.
 */
export function asksSomething(question: string): boolean {
  return LETTER_OR_DIGIT.test(question);
}

/** Words at each end of a quote that a `textStart,textEnd` directive names: enough to be unique on a page, short enough to survive markup. */
const EDGE_WORDS = 5;
/** Words of context before the quote, when its first words occur earlier in the document. */
const PREFIX_WORDS = 3;

/**
 * `url` with a text fragment that scrolls to and highlights `quote` in a browser
 * (URL Fragment Text Directives, https://wicg.github.io/scroll-to-text-fragment/). A quote on one
 * line of up to ten words is named whole (`#:~:text=quote`); a longer one, or one that crosses lines
 * (blocks, list items, table cells), by its first and last words (`#:~:text=start,end`), which
 * the spec matches across blocks where a whole quote would not. When the first words occur
 * earlier in `before` (the document's text before the quote), the words just before the quote
 * are added as a prefix (`prefix-,`).
 * Hand-written: the spec is a string format, and no maintained package builds one from a span.
 */
export function textFragmentLink(url: string, quote: string, before: string): string {
  const segments = splitSegments(quote);
  if (segments.length === 0) return url;
  const first = words(segments[0]);
  const last = words(segments.at(-1)!);
  const whole = segments.length === 1 && first.length <= 2 * EDGE_WORDS;
  const textStart = whole ? first.join(' ') : first.slice(0, EDGE_WORDS).join(' ');
  const textEnd = whole ? null : last.slice(-EDGE_WORDS).join(' ');
  const prefix = occursBefore(before, quote, textStart) ? prefixBefore(before) : null;
  const parts = [...(prefix ? [`${encodeTerm(prefix)}-`] : []), encodeTerm(textStart), ...(textEnd ? [encodeTerm(textEnd)] : [])];
  return `${url.split('#')[0]}#:~:text=${parts.join(',')}`;
}

/**
 * A term as the spec wants it: percent-encoded, with the three characters that delimit the
 * directive's parts (`-`, `&`, `,`) encoded too (encodeURIComponent leaves `-` as it is).
 */
export function encodeTerm(term: string): string {
  return encodeURIComponent(term).replace(/-/g, '%2D');
}

/** The quote's lines and table cells (stored as " | "), each with its whitespace collapsed. */
function splitSegments(quote: string): string[] {
  return quote
    .split(/\n| \| /)
    .map((segment) => segment.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

function words(segment: string): string[] {
  return segment.split(' ');
}

/** Whether `term` (the quote's first words) occurs, case-insensitively as browsers match, before the quote. */
function occursBefore(before: string, quote: string, term: string): boolean {
  const collapse = (part: string) => part.replace(/\s+/g, ' ');
  const found = collapse(before + quote)
    .toLowerCase()
    .indexOf(term.toLowerCase());
  return found >= 0 && found < collapse(before).length;
}

/** Up to PREFIX_WORDS whole words at the end of `before` on its last line, or null when the quote starts a line. */
function prefixBefore(before: string): string | null {
  const line = before
    .slice(before.lastIndexOf('\n') + 1)
    .split(' | ')
    .at(-1)!;
  // The quote starts at a word boundary only after a space; a word cut in two is no prefix.
  if (!/\s$/.test(line)) return null;
  const prefixWords = line.trim().split(/\s+/).filter(Boolean);
  return prefixWords.length > 0 ? prefixWords.slice(-PREFIX_WORDS).join(' ') : null;
}

/** A sentence of a stored document: `text === document.text.slice(start, end)`. */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** A line shorter than this (or than 60% of the text's typical line) is a heading, not wrapped prose. */
const MIN_WRAPPED_LINE = 40;
const ENDS_SENTENCE = /[.!?:;]["”’')\]]*\s*$/;
const STARTS_ITEM = /^\s*([-*•▪◦–]|\d+[.)]|[a-z][.)]\s)/;

/**
 * Splits text into sentences with offsets (shifted by `offset`), using the ICU sentence rules
 * built into Node. Blank lines always end a sentence. A single line break ends one only when it
 * looks like a boundary (the line ends a sentence, is short like a heading, or a list item
 * follows); otherwise it is a hard wrap, as in text extracted from PDFs, and the sentence goes on.
 * Leading and trailing whitespace is left out of each span.
 */
export function splitSentences(text: string, offset = 0): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  for (const block of paragraphs(text)) {
    // Soft line breaks become spaces in a same-length copy, so segment offsets stay exact.
    const unwrapped = unwrapLines(block.text);
    for (const { segment, index } of segmenter.segment(unwrapped)) {
      const leading = segment.length - segment.trimStart().length;
      const length = segment.trim().length;
      if (length === 0) continue;
      const start = block.start + index + leading;
      spans.push({ start: offset + start, end: offset + start + length, text: text.slice(start, start + length) });
    }
  }
  return spans;
}

/** Pieces of text between hard breaks (blank lines and boundary-like line breaks). */
function paragraphs(text: string): { start: number; text: string }[] {
  const lines = text.split('\n');
  const typical = typicalLineLength(lines);
  const blocks: { start: number; text: string }[] = [];
  let blockStart = 0;
  let position = 0;
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    const end = position + line.length;
    const hardBreak = next === undefined || !isWrapped(line, next, typical);
    if (hardBreak) {
      blocks.push({ start: blockStart, text: text.slice(blockStart, end) });
      blockStart = end + 1;
    }
    position = end + 1;
  });
  return blocks;
}

function isWrapped(line: string, next: string, typical: number): boolean {
  const trimmed = line.trimEnd();
  if (trimmed.trim().length === 0 || next.trim().length === 0) return false;
  if (ENDS_SENTENCE.test(trimmed) || STARTS_ITEM.test(next)) return false;
  return trimmed.length >= Math.max(MIN_WRAPPED_LINE, 0.6 * typical);
}

function unwrapLines(block: string): string {
  return block.replace(/\n/g, ' ');
}

/** The median length of the non-empty lines. */
function typicalLineLength(lines: string[]): number {
  const lengths = lines
    .map((line) => line.trim().length)
    .filter((length) => length > 0)
    .sort((a, b) => a - b);
  return lengths.length ? lengths[Math.floor(lengths.length / 2)] : 0;
}

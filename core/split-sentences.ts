/** A sentence of a stored document: `text === document.text.slice(start, end)`. */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Splits text into sentences with offsets (shifted by `offset`), using the ICU sentence
 * rules built into Node, and also at line breaks, since headings and list items end
 * without punctuation. Leading and trailing whitespace is left out of each span.
 */
export function splitSentences(text: string, offset = 0): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    for (const { segment, index } of segmenter.segment(line)) {
      const leading = segment.length - segment.trimStart().length;
      const trimmed = segment.trim();
      if (trimmed.length === 0) continue;
      const start = offset + lineStart + index + leading;
      spans.push({ start, end: start + trimmed.length, text: trimmed });
    }
    lineStart += line.length + 1;
  }
  return spans;
}

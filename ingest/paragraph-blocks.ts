import type { Block } from '../core/contracts/types.js';

/** One paragraph block per run of non-blank lines of `text`, offset by `offset`: the structure plain text and PDF pages have. */
export function paragraphBlocks(text: string, offset = 0, page: number | null = null): Block[] {
  return [...text.matchAll(/[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*/g)].map((match) => {
    const leading = match[0].length - match[0].trimStart().length;
    return {
      kind: 'paragraph',
      start: offset + match.index + leading,
      end: offset + match.index + match[0].trimEnd().length,
      headingPath: [],
      page,
    };
  });
}

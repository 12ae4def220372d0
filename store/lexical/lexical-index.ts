/**
 * One field's postings. Terms are sorted (code-unit order), and a term's postings are the
 * chunk positions holding it, ascending, each with its frequency: compact typed arrays that
 * load as views of one file and are read by position, never per-object.
 */
export interface LexicalField {
  name: string;
  /** Multiplies the field's BM25 (minisearch's field boost). */
  boost: number;
  terms: string[];
  /** The postings of term t are positions offsets[t] .. offsets[t + 1] - 1. */
  offsets: Uint32Array;
  chunks: Uint32Array;
  /** Term frequency in the chunk's field; 255 means "255 or more", the exact count then in `overflow`. */
  frequencies: Uint8Array;
  /** The postings whose frequency is 255 or more (ascending positions) and their exact frequencies. */
  overflow: { positions: Uint32Array; frequencies: Uint32Array };
  /** Per chunk: distinct tokens of the field, stopwords included (minisearch's field length). */
  lengths: Uint32Array;
  averageLength: number;
  /** Per term: its highest BM25 in any chunk (query weight 1), the bound MaxScore prunes with. */
  maxScores: Float64Array;
}

/**
 * An inverted index over chunk positions 0 .. chunkCount - 1: one LexicalField per field (the
 * chunk's text, its heading field), each over the same positions; the search sums fields the way
 * minisearch does.
 */
export interface LexicalIndex {
  chunkCount: number;
  fields: LexicalField[];
}

/** Position of `term` in the field's sorted terms, or -1. */
export function findTerm(field: LexicalField, term: string): number {
  let low = 0;
  let high = field.terms.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = field.terms[middle];
    if (candidate === term) return middle;
    if (candidate < term) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** In how many chunks the term occurs in the field. */
export function fieldDocumentFrequency(field: LexicalField, term: string): number {
  const t = findTerm(field, term);
  return t < 0 ? 0 : field.offsets[t + 1] - field.offsets[t];
}

/** Frequencies above this are kept in a field's `overflow` table. */
export const MAX_INLINE_FREQUENCY = 255;

/** The exact frequency of posting `p` of the field. */
export function postingFrequency(field: LexicalField, p: number): number {
  const inline = field.frequencies[p];
  if (inline < MAX_INLINE_FREQUENCY) return inline;
  const { positions, frequencies } = field.overflow;
  let low = 0;
  let high = positions.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] < p) low = middle + 1;
    else high = middle;
  }
  return frequencies[low];
}

/** Characters (UTF-16 code units, as every offset counts them) of each stored piece of a document's text. */
export const TEXT_PIECE = 4096;

/** One piece of a document's text: its number, where it starts, its text. */
export interface TextPiece {
  piece: number;
  start: number;
  text: string;
}

/**
 * A document's text cut into pieces of TEXT_PIECE characters, so a store reads the pieces a range
 * needs, never the whole text. A cut never falls between the two halves of a surrogate pair (the
 * database holds UTF-8, where half a pair is not text): piece `n` starts at `n × TEXT_PIECE`, or
 * one character before.
 */
export function textPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  for (let start = 0, piece = 0; start < text.length; piece++) {
    let end = Math.min(text.length, (piece + 1) * TEXT_PIECE);
    const low = text.charCodeAt(end);
    if (end < text.length && low >= 0xdc00 && low <= 0xdfff) end--;
    pieces.push({ piece, start, text: text.slice(start, end) });
    start = end;
  }
  return pieces;
}

/** The numbers of the pieces that together hold `[start, end)` (and, for an empty range, the one at `start`). */
export function piecesFor(start: number, end: number): { first: number; last: number } {
  return { first: Math.floor(start / TEXT_PIECE), last: Math.floor(end / TEXT_PIECE) + 1 };
}

/** `[start, end)` of a text, from consecutive pieces of it that hold the range (sorted by number). */
export function sliceOfPieces(pieces: readonly TextPiece[], start: number, end: number): string {
  if (pieces.length === 0) return '';
  const base = pieces[0].start;
  return pieces
    .map((piece) => piece.text)
    .join('')
    .slice(start - base, end - base);
}

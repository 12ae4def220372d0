import { describe, expect, it } from 'vitest';
import { piecesFor, sliceOfPieces, TEXT_PIECE, textPieces } from './text-pieces.js';

describe('textPieces', () => {
  it('cuts a text into pieces that join back to it, never inside a surrogate pair, and any range reads back from the pieces piecesFor names', () => {
    // An emoji (two UTF-16 code units) straddling each piece boundary.
    const text = Array.from({ length: 5 }, (_, i) => 'x'.repeat(TEXT_PIECE - 1 - (i % 2)) + '🚢').join('') + 'tail';
    const pieces = textPieces(text);
    expect(pieces.map((piece) => piece.text).join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.start === piece.piece * TEXT_PIECE || piece.start === piece.piece * TEXT_PIECE - 1).toBe(true);
      expect(Buffer.from(piece.text, 'utf8').toString('utf8')).toBe(piece.text);
    }
    for (const [start, end] of [
      [0, 0],
      [0, text.length],
      [TEXT_PIECE - 1, TEXT_PIECE + 1],
      [2 * TEXT_PIECE - 2, 2 * TEXT_PIECE - 2],
      [3 * TEXT_PIECE, 4 * TEXT_PIECE + 3],
      [text.length - 2, text.length],
      [text.length, text.length],
    ]) {
      const { first, last } = piecesFor(start, end);
      const held = pieces.filter((piece) => piece.piece >= first && piece.piece <= last);
      expect(sliceOfPieces(held, start, end)).toBe(text.slice(start, end));
    }
  });
});

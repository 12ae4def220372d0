import { createFieldAnalyser } from './analyse-field.js';
import { LexicalFieldBuilder } from './lexical-field-builder.js';
import type { LexicalField, LexicalIndex } from './lexical-index.js';

/** The field every chunk has: its text. */
export const TEXT_FIELD = 'text';

/** Postings to copy from a previous index instead of analysing those chunks again. */
export interface LexicalReuse {
  previous: LexicalIndex;
  /** For each previous chunk position, its new position, or -1 when its document changed or left. */
  newPositions: Int32Array;
}

/**
 * Builds the postings of every chunk's text (chunk position = index in `texts`). With `reuse`,
 * the chunks of unchanged documents keep their postings from the previous index: only changed
 * documents are analysed, and statistics (lengths, bounds) are recomputed over the whole.
 */
export function buildLexicalIndex(texts: readonly string[], reuse?: LexicalReuse): LexicalIndex {
  const builder = new LexicalFieldBuilder(TEXT_FIELD, 1, texts.length);
  const copied = new Uint8Array(texts.length);
  const previous = reuse?.previous.fields.find((field) => field.name === TEXT_FIELD);
  if (reuse && previous) {
    copyPostings(builder, previous, reuse.newPositions);
    for (const position of reuse.newPositions) if (position >= 0) copied[position] = 1;
  }
  const analyse = createFieldAnalyser();
  texts.forEach((text, chunk) => {
    if (!copied[chunk]) builder.addAnalysed(chunk, analyse(text));
  });
  return { chunkCount: texts.length, fields: [builder.finish()] };
}

function copyPostings(builder: LexicalFieldBuilder, previous: LexicalField, newPositions: Int32Array): void {
  newPositions.forEach((position, old) => {
    if (position >= 0) builder.setLength(position, previous.lengths[old]);
  });
  for (let t = 0; t < previous.terms.length; t++) {
    let termId = -1;
    for (let p = previous.offsets[t]; p < previous.offsets[t + 1]; p++) {
      const position = newPositions[previous.chunks[p]];
      if (position < 0) continue;
      if (termId < 0) termId = builder.termId(previous.terms[t]);
      builder.addPosting(position, termId, previous.frequencies[p]);
    }
  }
}

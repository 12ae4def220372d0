import { HEADING_FIELD_BOOST } from '../../core/chunks/heading-field.js';
import { createFieldAnalyser } from './analyse-field.js';
import { LexicalFieldBuilder } from './lexical-field-builder.js';
import { postingFrequency, type LexicalField, type LexicalIndex } from './lexical-index.js';

/**
 * The fields BM25 indexes, in the order a query term's scores are added (minisearch's field
 * order, so the sums are the same floats): the chunk's text, then its heading field
 * (core/chunks/heading-field.ts), boosted.
 */
export const LEXICAL_FIELDS = [
  { name: 'text', boost: 1 },
  { name: 'heading', boost: HEADING_FIELD_BOOST },
] as const;

/** A chunk field's name. */
export type LexicalFieldName = (typeof LEXICAL_FIELDS)[number]['name'];

/** Postings to copy from a previous index instead of analysing those chunks again. */
export interface LexicalReuse {
  previous: LexicalIndex;
  /** For each previous chunk position, its new position, or -1 when its document changed or left. */
  newPositions: Int32Array;
}

/**
 * Builds the postings of every chunk's fields (chunk position = index in each field's list).
 * With `reuse`, the chunks of unchanged documents keep their postings from the previous index:
 * only changed documents are analysed, and statistics (lengths, bounds) are recomputed over the whole.
 */
export function buildLexicalIndex(fieldTexts: Record<LexicalFieldName, readonly string[]>, reuse?: LexicalReuse): LexicalIndex {
  const chunkCount = fieldTexts.text.length;
  const copied = new Uint8Array(chunkCount);
  if (reuse) for (const position of reuse.newPositions) if (position >= 0) copied[position] = 1;
  const analyse = createFieldAnalyser();
  const fields = LEXICAL_FIELDS.map(({ name, boost }) => {
    const texts = fieldTexts[name];
    if (texts.length !== chunkCount) throw new Error(`the ${name} field has ${texts.length} chunks, the text field ${chunkCount}`);
    const builder = new LexicalFieldBuilder(name, boost, chunkCount);
    const previous = reuse?.previous.fields.find((field) => field.name === name);
    if (reuse && previous) copyPostings(builder, previous, reuse.newPositions);
    texts.forEach((text, chunk) => {
      if (!copied[chunk] || !previous) builder.addAnalysed(chunk, analyse(text));
    });
    return builder.finish();
  });
  return { chunkCount, fields };
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
      builder.addPosting(position, termId, postingFrequency(previous, p));
    }
  }
}

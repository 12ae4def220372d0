import { bm25, inverseDocumentFrequency } from './bm25.js';
import { MAX_INLINE_FREQUENCY, postingFrequency, type LexicalField } from './lexical-index.js';

/**
 * Collects one field's postings in any order (analysed chunks, or postings copied from a previous
 * index) and lays them out term by term, chunks ascending: two counting sorts, no per-term arrays.
 */
export class LexicalFieldBuilder {
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  private chunkColumn = new Uint32Array(1 << 16);
  private termColumn = new Uint32Array(1 << 16);
  private frequencyColumn = new Uint32Array(1 << 16);
  private size = 0;
  private chunkOrdered = true;
  private readonly lengths: Uint32Array;

  constructor(
    private readonly name: string,
    private readonly boost: number,
    private readonly chunkCount: number,
  ) {
    this.lengths = new Uint32Array(chunkCount);
  }

  /** The id of a term, added when new; postings can then be added by id without a lookup each. */
  termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termList.length;
      this.termIds.set(term, id);
      this.termList.push(term);
    }
    return id;
  }

  setLength(chunk: number, length: number): void {
    this.lengths[chunk] = length;
  }

  addPosting(chunk: number, termId: number, frequency: number): void {
    if (this.size === this.chunkColumn.length) this.grow();
    if (this.size > 0 && chunk < this.chunkColumn[this.size - 1]) this.chunkOrdered = false;
    this.chunkColumn[this.size] = chunk;
    this.termColumn[this.size] = termId;
    this.frequencyColumn[this.size] = frequency;
    this.size++;
  }

  /** Adds every term of an analysed chunk field. */
  addAnalysed(chunk: number, field: { length: number; frequencies: Map<string, number> }): void {
    this.setLength(chunk, field.length);
    for (const [term, frequency] of field.frequencies) this.addPosting(chunk, this.termId(term), frequency);
  }

  finish(): LexicalField {
    const { size, chunkCount, lengths } = this;
    const order = this.termList.map((_, id) => id).sort((a, b) => (this.termList[a] < this.termList[b] ? -1 : 1));
    const rank = new Uint32Array(order.length);
    order.forEach((id, position) => (rank[id] = position));
    const sequence = this.chunkOrdered ? identity(size) : countingSort(this.chunkColumn, size, chunkCount, identity(size));
    const termKeys = new Uint32Array(size);
    for (let i = 0; i < size; i++) termKeys[i] = rank[this.termColumn[i]];
    const byTerm = countingSort(termKeys, size, order.length, sequence);
    const chunks = new Uint32Array(size);
    const frequencies = new Uint8Array(size);
    const overflowPositions: number[] = [];
    const overflowFrequencies: number[] = [];
    for (let i = 0; i < size; i++) {
      chunks[i] = this.chunkColumn[byTerm[i]];
      const frequency = this.frequencyColumn[byTerm[i]];
      frequencies[i] = Math.min(frequency, MAX_INLINE_FREQUENCY);
      if (frequency >= MAX_INLINE_FREQUENCY) {
        overflowPositions.push(i);
        overflowFrequencies.push(frequency);
      }
    }
    const offsets = new Uint32Array(order.length + 1);
    for (let i = 0; i < size; i++) offsets[termKeys[i] + 1]++;
    for (let t = 0; t < order.length; t++) offsets[t + 1] += offsets[t];
    // minisearch keeps a running mean as documents are added; the same arithmetic gives the same float.
    let averageLength = 0;
    for (let c = 0; c < chunkCount; c++) averageLength = (averageLength * c + lengths[c]) / (c + 1);
    const field: LexicalField = {
      name: this.name,
      boost: this.boost,
      terms: order.map((id) => this.termList[id]),
      offsets,
      chunks,
      frequencies,
      overflow: { positions: Uint32Array.from(overflowPositions), frequencies: Uint32Array.from(overflowFrequencies) },
      lengths,
      averageLength,
      maxScores: new Float64Array(order.length),
    };
    computeMaxScores(field, chunkCount);
    return field;
  }

  private grow(): void {
    const capacity = this.chunkColumn.length * 2;
    const chunkColumn = new Uint32Array(capacity);
    chunkColumn.set(this.chunkColumn);
    const termColumn = new Uint32Array(capacity);
    termColumn.set(this.termColumn);
    const frequencyColumn = new Uint32Array(capacity);
    frequencyColumn.set(this.frequencyColumn);
    this.chunkColumn = chunkColumn;
    this.termColumn = termColumn;
    this.frequencyColumn = frequencyColumn;
  }
}

/** Each term's highest BM25 over its postings. */
export function computeMaxScores(field: LexicalField, chunkCount: number): void {
  const { offsets, chunks, lengths, averageLength, maxScores } = field;
  for (let t = 0; t < field.terms.length; t++) {
    const idf = inverseDocumentFrequency(offsets[t + 1] - offsets[t], chunkCount);
    let best = 0;
    for (let p = offsets[t]; p < offsets[t + 1]; p++) {
      const score = bm25(idf, postingFrequency(field, p), lengths[chunks[p]], averageLength);
      if (score > best) best = score;
    }
    maxScores[t] = best;
  }
}

function identity(size: number): Uint32Array {
  const sequence = new Uint32Array(size);
  for (let i = 0; i < size; i++) sequence[i] = i;
  return sequence;
}

/** Stable counting sort of `sequence` (indices into `keys`) by key. */
function countingSort(keys: Uint32Array, size: number, keyCount: number, sequence: Uint32Array): Uint32Array {
  const starts = new Uint32Array(keyCount + 1);
  for (let i = 0; i < size; i++) starts[keys[i] + 1]++;
  for (let k = 0; k < keyCount; k++) starts[k + 1] += starts[k];
  const sorted = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    const index = sequence[i];
    sorted[starts[keys[index]]++] = index;
  }
  return sorted;
}

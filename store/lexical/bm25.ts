/**
 * BM25+ exactly as minisearch 7 scores it (k 1.2, b 0.7, d 0.5; field length = distinct tokens),
 * so the compact engine ranks as the engine it replaced did.
 */
const K = 1.2;
const B = 0.7;
const D = 0.5;

/** Inverse document frequency of a term found in `frequency` of `count` chunks. */
export function inverseDocumentFrequency(frequency: number, count: number): number {
  return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
}

/** A term's score in one chunk field, before the query's weight. */
export function bm25(idf: number, termFrequency: number, fieldLength: number, averageFieldLength: number): number {
  return idf * (D + (termFrequency * (K + 1)) / (termFrequency + K * (1 - B + (B * fieldLength) / averageFieldLength)));
}

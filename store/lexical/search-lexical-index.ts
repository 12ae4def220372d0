import type { WeightedTerm } from '../../core/contracts/passage-store.js';
import { bm25, inverseDocumentFrequency } from './bm25.js';
import { findTerm, postingFrequency, type LexicalField, type LexicalIndex } from './lexical-index.js';
import { TopScores } from './top-scores.js';

/** A chunk position and its score. */
export interface LexicalHit {
  chunk: number;
  score: number;
}

/** One (query term, field) posting list being walked. */
interface Cursor {
  group: number;
  /** The field's position in the index (the order a term's field scores are added in). */
  fieldIndex: number;
  field: LexicalField;
  idf: number;
  position: number;
  end: number;
  /** Highest contribution any chunk can get from this list (query weight and field boost applied). */
  bound: number;
}

/** Bounds are floats; this slack keeps rounding from pruning a chunk that ties or beats the threshold. */
const BOUND_SLACK = 1 + 1e-9;
/** At most this many chunks of the rarest term's list are scored up front to set the first threshold. */
const PRIMING_POSTINGS = 2048;

/**
 * Top `limit` chunks by minisearch's BM25 over the index's fields (OR of the terms, each field's
 * score scaled by the term's weight and the field's boost, the sum multiplied by how many
 * distinct terms matched), found with MaxScore (Turtle & Flood 1995): lists whose bounds together
 * cannot lift a chunk into the current top `limit` are never walked, only probed for chunks the
 * other lists found. Cost follows the rarer terms' postings, not the corpus. Scores are the same
 * floats minisearch computes (the same products, added in its order), and ties fall as its stable
 * sort left them: by the first query term a chunk matched, then the first field, then position.
 */
export function searchLexicalIndex(index: LexicalIndex, query: WeightedTerm[], limit: number): LexicalHit[] {
  if (limit <= 0 || query.length === 0) return [];
  const groups: string[] = [];
  const groupOf = query.map(({ term }) => {
    const known = groups.indexOf(term);
    return known >= 0 ? known : groups.push(term) - 1;
  });
  const groupWeight = new Float64Array(groups.length);
  query.forEach(({ weight }, i) => (groupWeight[groupOf[i]] += weight));
  const fieldCount = index.fields.length;
  const boosts = index.fields.map((field) => field.boost);

  const cursors: Cursor[] = [];
  groups.forEach((term, group) => {
    index.fields.forEach((field, fieldIndex) => {
      const t = findTerm(field, term);
      if (t < 0) return;
      const start = field.offsets[t];
      const end = field.offsets[t + 1];
      const bound = groupWeight[group] * field.boost * field.maxScores[t];
      const idf = inverseDocumentFrequency(end - start, index.chunkCount);
      cursors.push({ group, fieldIndex, field, idf, position: start, end, bound });
    });
  });
  if (cursors.length === 0) return [];
  cursors.sort((a, b) => a.bound - b.bound);
  // Bound of a chunk found only in cursors[0 .. j-1]: their distinct groups times their summed bounds.
  const prefixSum = new Float64Array(cursors.length + 1);
  const prefixBound = new Float64Array(cursors.length + 1);
  const seenGroups = new Set<number>();
  cursors.forEach((cursor, j) => {
    prefixSum[j + 1] = prefixSum[j] + cursor.bound;
    seenGroups.add(cursor.group);
    prefixBound[j + 1] = seenGroups.size * prefixSum[j + 1] * BOUND_SLACK;
  });

  const top = new TopScores(limit);
  // Per chunk being scored: the BM25 of each (group, field) it matched (0: not matched; a match is always > 0).
  const raw = new Float64Array(groups.length * fieldCount);
  const matched = new Uint8Array(groups.length);
  let groupsMatched = 0;
  let partial = 0;
  const reset = () => {
    raw.fill(0);
    matched.fill(0);
    groupsMatched = 0;
    partial = 0;
  };
  const record = (cursor: Cursor, chunk: number, position: number) => {
    const { field } = cursor;
    const score = bm25(cursor.idf, postingFrequency(field, position), field.lengths[chunk], field.averageLength);
    raw[cursor.group * fieldCount + cursor.fieldIndex] = score;
    partial += groupWeight[cursor.group] * field.boost * score;
    if (!matched[cursor.group]) {
      matched[cursor.group] = 1;
      groupsMatched++;
    }
  };
  const offerScored = (chunk: number) => {
    // The exact float minisearch computes: per query term in order, its fields' weighted scores
    // added in field order, then the terms' sums added, times the distinct terms matched.
    let score = 0;
    let firstMatch = -1;
    for (let i = 0; i < query.length; i++) {
      const group = groupOf[i];
      if (!matched[group]) continue;
      let termScore = 0;
      for (let f = 0; f < fieldCount; f++) {
        const r = raw[group * fieldCount + f];
        if (r === 0) continue;
        termScore += query[i].weight * boosts[f] * r;
        if (firstMatch < 0) firstMatch = group * fieldCount + f;
      }
      score += termScore;
    }
    return top.offer(chunk, score * groupsMatched, firstMatch * index.chunkCount + chunk);
  };

  // Priming: the chunks of the list with the highest bound (the rarest term) are scored in full
  // first, so the threshold starts near its final value and common terms' lists are probed, not walked.
  const primed = new Set<number>();
  const rarest = cursors[cursors.length - 1];
  const probes = cursors.map((cursor) => cursor.position);
  for (let p = rarest.position; p < Math.min(rarest.end, rarest.position + PRIMING_POSTINGS); p++) {
    const chunk = rarest.field.chunks[p];
    reset();
    cursors.forEach((cursor, j) => {
      probes[j] = advance(cursor.field.chunks, probes[j], cursor.end, chunk);
      if (probes[j] < cursor.end && cursor.field.chunks[probes[j]] === chunk) record(cursor, chunk, probes[j]);
    });
    offerScored(chunk);
    primed.add(chunk);
  }

  let essential = 0; // cursors[essential ..] are walked; the ones before are only probed
  while (essential < cursors.length && prefixBound[essential + 1] < top.threshold) essential++;
  while (essential < cursors.length) {
    let chunk = Infinity;
    for (let j = essential; j < cursors.length; j++) {
      const cursor = cursors[j];
      if (cursor.position < cursor.end && cursor.field.chunks[cursor.position] < chunk) chunk = cursor.field.chunks[cursor.position];
    }
    if (chunk === Infinity) break;
    if (primed.has(chunk)) {
      for (let j = essential; j < cursors.length; j++) {
        const cursor = cursors[j];
        if (cursor.position < cursor.end && cursor.field.chunks[cursor.position] === chunk) cursor.position++;
      }
      continue;
    }
    reset();
    for (let j = essential; j < cursors.length; j++) {
      const cursor = cursors[j];
      if (cursor.position < cursor.end && cursor.field.chunks[cursor.position] === chunk) {
        record(cursor, chunk, cursor.position);
        cursor.position++;
      }
    }
    let pruned = false;
    for (let j = essential - 1; j >= 0; j--) {
      // Even if every list left matched, could the chunk reach the threshold?
      const possibleGroups = groupsMatched + Math.min(j + 1, groups.length - groupsMatched);
      if (top.full && possibleGroups * (partial + prefixSum[j + 1]) * BOUND_SLACK < top.threshold) {
        pruned = true;
        break;
      }
      const cursor = cursors[j];
      cursor.position = advance(cursor.field.chunks, cursor.position, cursor.end, chunk);
      if (cursor.position < cursor.end && cursor.field.chunks[cursor.position] === chunk) record(cursor, chunk, cursor.position);
    }
    if (pruned) continue;
    if (offerScored(chunk)) {
      while (essential < cursors.length && prefixBound[essential + 1] < top.threshold) essential++;
    }
  }
  return top.sorted();
}

/** First position in chunks[from .. end) holding a chunk >= target: galloping, then binary search. */
function advance(chunks: Uint32Array, from: number, end: number, target: number): number {
  if (from >= end || chunks[from] >= target) return from;
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < end && chunks[high] < target) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > end) high = end;
  while (low + 1 < high) {
    const middle = (low + high) >>> 1;
    if (chunks[middle] < target) low = middle;
    else high = middle;
  }
  return high;
}

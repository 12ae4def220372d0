import type { WeightedTerm } from '../../core/passage-store.js';
import { bm25, inverseDocumentFrequency } from './bm25.js';
import { findTerm, type LexicalField, type LexicalIndex } from './lexical-index.js';
import { TopScores } from './top-scores.js';

/** A chunk position and its score. */
export interface LexicalHit {
  chunk: number;
  score: number;
}

/** One (query term, field) posting list being walked. */
interface Cursor {
  group: number;
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
 * Top `limit` chunks by minisearch's BM25 (OR of the terms, each scaled by its weight, the sum
 * multiplied by how many distinct terms matched), found with MaxScore (Turtle & Flood 1995):
 * lists whose bounds together cannot lift a chunk into the current top `limit` are never walked,
 * only probed for chunks the other lists found. Cost follows the rarer terms' postings, not the
 * corpus. Scores are the same floats minisearch computes, summed in the query's order.
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

  const cursors: Cursor[] = [];
  groups.forEach((term, group) => {
    for (const field of index.fields) {
      const t = findTerm(field, term);
      if (t < 0) continue;
      const start = field.offsets[t];
      const end = field.offsets[t + 1];
      const bound = groupWeight[group] * field.boost * field.maxScores[t];
      cursors.push({ group, field, idf: inverseDocumentFrequency(end - start, index.chunkCount), position: start, end, bound });
    }
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
  const raw = new Float64Array(groups.length);
  const matched = new Uint8Array(groups.length);
  const finalScore = (groupsMatched: number) => {
    // The exact float minisearch computes: each query term's weighted score added in query order.
    let score = 0;
    for (let i = 0; i < query.length; i++) if (matched[groupOf[i]]) score += query[i].weight * raw[groupOf[i]];
    return score * groupsMatched;
  };

  // Priming: the chunks of the list with the highest bound (the rarest term) are scored in full
  // first, so the threshold starts near its final value and common terms' lists are probed, not walked.
  const primed = new Set<number>();
  const rarest = cursors[cursors.length - 1];
  const probes = cursors.map((cursor) => cursor.position);
  for (let p = rarest.position; p < Math.min(rarest.end, rarest.position + PRIMING_POSTINGS); p++) {
    const chunk = rarest.field.chunks[p];
    raw.fill(0);
    matched.fill(0);
    let groupsMatched = 0;
    cursors.forEach((cursor, j) => {
      probes[j] = advance(cursor.field.chunks, probes[j], cursor.end, chunk);
      if (probes[j] < cursor.end && cursor.field.chunks[probes[j]] === chunk) {
        raw[cursor.group] += fieldScore(cursor, chunk, probes[j]);
        if (!matched[cursor.group]) ((matched[cursor.group] = 1), groupsMatched++);
      }
    });
    top.offer(chunk, finalScore(groupsMatched));
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
    raw.fill(0);
    matched.fill(0);
    let groupsMatched = 0;
    let partial = 0;
    for (let j = essential; j < cursors.length; j++) {
      const cursor = cursors[j];
      if (cursor.position < cursor.end && cursor.field.chunks[cursor.position] === chunk) {
        const contribution = fieldScore(cursor, chunk, cursor.position);
        raw[cursor.group] += contribution;
        partial += groupWeight[cursor.group] * contribution;
        if (!matched[cursor.group]) ((matched[cursor.group] = 1), groupsMatched++);
        cursor.position++;
      }
    }
    let pruned = false;
    for (let j = essential - 1; j >= 0; j--) {
      // Even if every list left matched, could the chunk beat the threshold?
      const possibleGroups = groupsMatched + Math.min(j + 1, groups.length - groupsMatched);
      if (top.full && possibleGroups * (partial + prefixSum[j + 1]) * BOUND_SLACK < top.threshold) {
        pruned = true;
        break;
      }
      const cursor = cursors[j];
      cursor.position = advance(cursor.field.chunks, cursor.position, cursor.end, chunk);
      if (cursor.position < cursor.end && cursor.field.chunks[cursor.position] === chunk) {
        const contribution = fieldScore(cursor, chunk, cursor.position);
        raw[cursor.group] += contribution;
        partial += groupWeight[cursor.group] * contribution;
        if (!matched[cursor.group]) ((matched[cursor.group] = 1), groupsMatched++);
      }
    }
    if (pruned) continue;
    if (top.offer(chunk, finalScore(groupsMatched))) {
      while (essential < cursors.length && prefixBound[essential + 1] < top.threshold) essential++;
    }
  }
  return top.sorted();
}

function fieldScore(cursor: Cursor, chunk: number, position: number): number {
  const { field } = cursor;
  const score = bm25(cursor.idf, field.frequencies[position], field.lengths[chunk], field.averageLength);
  return field.boost === 1 ? score : field.boost * score;
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

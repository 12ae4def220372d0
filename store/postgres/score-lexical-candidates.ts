import type { ScoredChunk, WeightedTerm } from '../../core/contracts/passage-store.js';
import { LEXICAL_FIELDS } from '../lexical/build-lexical-index.js';
import { bm25, inverseDocumentFrequency } from '../lexical/bm25.js';
import { encodeTerm } from './encode-term.js';

/** A chunk the database found for a query, with both fields' analysed terms and lengths. */
export interface LexicalCandidate {
  chunkId: string;
  position: number;
  textTerms: string;
  headingTerms: string;
  textLength: number;
  headingLength: number;
}

/** What the scores need of the whole generation. */
export interface LexicalStatistics {
  chunkCount: number;
  textAverageLength: number;
  headingAverageLength: number;
  /** Per encoded term: in how many chunks each field holds it. */
  documentFrequency: ReadonlyMap<string, { text: number; heading: number }>;
}

/**
 * Scores the candidates exactly as the local store scores chunks (store/lexical/search-lexical-index.ts):
 * BM25+ per (term, field) over the whole generation's statistics, each field's score times the
 * term's weight and the field's boost, added per query term in order, the sum times the distinct
 * terms matched. The same products in the same order: the same floats as the local store.
 * Best first, ties by position (document order); chunks matching no term are left out.
 */
export function scoreLexicalCandidates(
  query: WeightedTerm[],
  candidates: LexicalCandidate[],
  statistics: LexicalStatistics,
  limit: number,
): ScoredChunk[] {
  const groups: string[] = [];
  const groupOf = query.map(({ term }) => {
    const encoded = encodeTerm(term);
    const known = groups.indexOf(encoded);
    return known >= 0 ? known : groups.push(encoded) - 1;
  });
  const groupIndex = new Map(groups.map((term, group) => [term, group]));
  const [textBoost, headingBoost] = LEXICAL_FIELDS.map((field) => field.boost);
  const idf = groups.map((term) => {
    const frequency = statistics.documentFrequency.get(term) ?? { text: 0, heading: 0 };
    return [
      inverseDocumentFrequency(frequency.text, statistics.chunkCount),
      inverseDocumentFrequency(frequency.heading, statistics.chunkCount),
    ];
  });
  const scored: { chunkId: string; position: number; score: number }[] = [];
  for (const candidate of candidates) {
    const textCounts = countTerms(candidate.textTerms, groupIndex, groups.length);
    const headingCounts = countTerms(candidate.headingTerms, groupIndex, groups.length);
    const raw = groups.map((_, group) => [
      textCounts[group] > 0 ? bm25(idf[group][0], textCounts[group], candidate.textLength, statistics.textAverageLength) : 0,
      headingCounts[group] > 0 ? bm25(idf[group][1], headingCounts[group], candidate.headingLength, statistics.headingAverageLength) : 0,
    ]);
    let matched = 0;
    for (let group = 0; group < groups.length; group++) if (raw[group][0] > 0 || raw[group][1] > 0) matched++;
    if (matched === 0) continue;
    let score = 0;
    query.forEach(({ weight }, i) => {
      const [text, heading] = raw[groupOf[i]];
      let termScore = 0;
      if (text !== 0) termScore += weight * textBoost * text;
      if (heading !== 0) termScore += weight * headingBoost * heading;
      score += termScore;
    });
    scored.push({ chunkId: candidate.chunkId, position: candidate.position, score: score * matched });
  }
  scored.sort((a, b) => b.score - a.score || a.position - b.position);
  return scored.slice(0, limit).map(({ chunkId, score }) => ({ chunkId, score }));
}

/** How often each query term (by group) occurs in a field's space-separated encoded terms. */
function countTerms(field: string, groupIndex: ReadonlyMap<string, number>, groups: number): number[] {
  const counts = new Array<number>(groups).fill(0);
  if (field === '') return counts;
  for (const word of field.split(' ')) {
    const group = groupIndex.get(word);
    if (group !== undefined) counts[group]++;
  }
  return counts;
}

import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { compareChunkIds } from '../chunks/compare-chunk-ids.js';
import type { PassageStore, ScoredChunk, StoredChunk, WeightedTerm } from '../contracts/passage-store.js';
import { fetchTermStatistics, type TermStatistics } from '../question/term-statistics.js';
import { contentTerms, isContentWord, stemWord, wordTokens } from '../text/tokenize.js';
import type { Passage } from '../contracts/types.js';

export interface RetrievalOptions {
  k: number;
  /** Share of the fused score given to dense similarity; 0 is BM25 alone, 1 dense alone. */
  denseWeight: number;
  /** Earlier-turn text of a follow-up: its terms count, but less than the question's. */
  context?: string;
  /** Statistics of the query's and context's terms, when the caller has fetched them already. */
  statistics?: TermStatistics;
}

/** Weight of a follow-up's context terms against the question's own terms. */
const CONTEXT_TERM_WEIGHT = 0.4;

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES = 50;
/**
 * In an index of at least this many chunks, query terms found in more than this share of the
 * chunks are left out of BM25: their IDF is near zero, but their posting lists dominate search
 * time. Measured on the generated bench corpus (200 known-item queries): twice as fast at 10,000
 * and 50,000 chunks, MRR@10 lower by 0.002–0.005.
 */
const COMMON_TERM_MIN_CHUNKS = 1000;
const COMMON_TERM_SHARE = 0.5;

/**
 * Hybrid retrieval: BM25 and dense candidates, each score scaled by the best in its list,
 * fused as a weighted sum. Weighted score fusion, not reciprocal rank fusion: with weak
 * word-vector embeddings RRF was measured to lower MRR by 0.14–0.28, while a small dense
 * weight keeps BM25's ranking and lets dense similarity break near-ties.
 */
export async function retrievePassages(
  store: PassageStore,
  embeddings: EmbeddingsInterface,
  query: string,
  options: RetrievalOptions,
): Promise<Passage[]> {
  return (await retrieveChunks(store, embeddings, query, options)).map((chunk) => toPassage(chunk, chunk.score));
}

/** A retrieved chunk with its blocks and fused score. */
export interface RetrievedChunk extends StoredChunk {
  score: number;
}

/** As retrievePassages, keeping each chunk's blocks (the answer's units are cut from them). */
export async function retrieveChunks(
  store: PassageStore,
  embeddings: EmbeddingsInterface,
  query: string,
  options: RetrievalOptions,
): Promise<RetrievedChunk[]> {
  const pool = Math.max(CANDIDATES, options.k * 4);
  const own = new Set(contentTerms(query));
  const context = contextWords(options.context ?? '', own);
  const statistics = options.statistics ?? (await fetchTermStatistics(store, [query, options.context ?? '']));
  const lexicalTerms = contentTerms(withoutCommonTerms(statistics, query));
  const terms: WeightedTerm[] = context
    ? [...lexicalTerms, ...contentTerms(withoutCommonTerms(statistics, context))].map((term) => ({
        term,
        weight: own.has(term) ? 1 : CONTEXT_TERM_WEIGHT,
      }))
    : lexicalTerms.map((term) => ({ term, weight: 1 }));
  const lexical = options.denseWeight < 1 ? await store.searchLexical(terms, pool) : [];
  const dense =
    options.denseWeight > 0 ? await store.searchDense(await embeddings.embedQuery(context ? `${query} ${context}` : query), pool) : [];
  const fused = new Map<string, number>();
  addScaled(fused, lexical, 1 - options.denseWeight);
  addScaled(fused, dense, options.denseWeight);
  // Ties go to the chunk earlier in the corpus, so the ranking never depends on a store's internal order.
  const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1] || compareChunkIds(a[0], b[0])).slice(0, options.k);
  if (ranked.length < options.k && options.denseWeight === 0) {
    // No word of the question matched enough chunks: the closest passages by meaning still
    // show what the sources hold, ranked below every lexical match.
    const seen = new Set(ranked.map(([chunkId]) => chunkId));
    const nearest = await store.searchDense(await embeddings.embedQuery(`${query} ${context}`.trim()), options.k + ranked.length);
    for (const { chunkId, score } of nearest) {
      if (ranked.length >= options.k) break;
      if (!seen.has(chunkId)) ranked.push([chunkId, NEAREST_SCORE_SCALE * Math.max(score, 0)]);
    }
  }
  const chunks = new Map((await store.getChunks(ranked.map(([chunkId]) => chunkId))).map((chunk) => [chunk.chunkId, chunk]));
  return ranked.filter(([chunkId]) => chunks.has(chunkId)).map(([chunkId, score]) => ({ ...chunks.get(chunkId)!, score }));
}

/** Fill-in passages found by meaning alone are scaled far below lexical matches. */
const NEAREST_SCORE_SCALE = 0.01;

/** The query without terms common to most chunks of a large store (when any term is left). */
function withoutCommonTerms(statistics: TermStatistics, query: string): string {
  const total = statistics.chunkCount;
  if (total < COMMON_TERM_MIN_CHUNKS) return query;
  const words = wordTokens(query).filter((word) => isContentWord(word));
  const kept = words.filter((word) => statistics.documentFrequency(stemWord(word)) / total <= COMMON_TERM_SHARE);
  return kept.length > 0 ? kept.join(' ') : query;
}

/** The context's content words whose stems the query lacks, once each. */
function contextWords(context: string, own: Set<string>): string {
  const words = new Set(wordTokens(context).filter((word) => isContentWord(word) && !own.has(stemWord(word))));
  return [...words].join(' ');
}

function addScaled(fused: Map<string, number>, results: ScoredChunk[], weight: number): void {
  if (weight === 0 || results.length === 0) return;
  const best = Math.max(...results.map((r) => r.score));
  if (best <= 0) return;
  for (const { chunkId, score } of results) {
    fused.set(chunkId, (fused.get(chunkId) ?? 0) + (weight * Math.max(score, 0)) / best);
  }
}

/** A stored chunk as a Passage. */
export function toPassage(chunk: StoredChunk, score: number): Passage {
  return {
    chunkId: chunk.chunkId,
    docId: chunk.docId,
    title: chunk.title,
    start: chunk.start,
    end: chunk.end,
    score: Math.round(score * 10_000) / 10_000,
    text: chunk.text,
    path: chunk.path,
    page: chunk.page,
    headingPath: chunk.headingPath,
  };
}

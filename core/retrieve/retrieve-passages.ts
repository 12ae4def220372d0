import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { compareChunkIds } from '../chunks/compare-chunk-ids.js';
import type { PassageStore, ScoredChunk, StoredChunk } from '../contracts/passage-store.js';
import type { Passage } from '../contracts/types.js';
import { analyseQuestion, questionTexts, type AnalysedQuestion } from '../question/analyse-question.js';
import { fetchTermStatistics } from '../question/term-statistics.js';

export interface RetrievalOptions {
  k: number;
  /** Share of the fused score given to dense similarity; 0 is BM25 alone, 1 dense alone. */
  denseWeight: number;
}

/** How many candidates each retriever contributes before fusion. */
const CANDIDATES = 50;

/** A retrieved chunk with its blocks and fused score. */
export interface RetrievedChunk extends StoredChunk {
  score: number;
}

/** Hybrid retrieval for a query on its own (MCP's search_passages, the engine's search). */
export async function retrievePassages(
  store: PassageStore,
  embeddings: EmbeddingsInterface,
  query: string,
  options: RetrievalOptions,
): Promise<Passage[]> {
  const statistics = await fetchTermStatistics(store, questionTexts(query, undefined));
  const analysed = analyseQuestion(query, undefined, { statistics, subjects: { subjects: [], nameTerms: new Set() } });
  return (await retrieveChunks(store, embeddings, analysed, options)).map((chunk) => toPassage(chunk, chunk.score));
}

/**
 * Hybrid retrieval: BM25 and dense candidates, each score scaled by the best in its list,
 * fused as a weighted sum. Weighted score fusion, not reciprocal rank fusion: with weak
 * word-vector embeddings RRF was measured to lower MRR by 0.14–0.28, while a small dense
 * weight keeps BM25's ranking and lets dense similarity break near-ties. Keeps each chunk's
 * blocks: the answer's units are cut from them.
 */
export async function retrieveChunks(
  store: PassageStore,
  embeddings: EmbeddingsInterface,
  question: Pick<AnalysedQuestion, 'query' | 'denseText'>,
  options: RetrievalOptions,
): Promise<RetrievedChunk[]> {
  const pool = Math.max(CANDIDATES, options.k * 4);
  const lexical = options.denseWeight < 1 ? await store.searchLexical(question.query, pool) : [];
  const dense = options.denseWeight > 0 ? await store.searchDense(await embeddings.embedQuery(question.denseText), pool) : [];
  const fused = new Map<string, number>();
  addScaled(fused, lexical, 1 - options.denseWeight);
  addScaled(fused, dense, options.denseWeight);
  // Ties go to the chunk earlier in the corpus, so the ranking never depends on a store's internal order.
  const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1] || compareChunkIds(a[0], b[0])).slice(0, options.k);
  if (ranked.length < options.k && options.denseWeight === 0) {
    // No word of the question matched enough chunks: the closest passages by meaning still
    // show what the sources hold, ranked below every lexical match.
    const seen = new Set(ranked.map(([chunkId]) => chunkId));
    const nearest = await store.searchDense(await embeddings.embedQuery(question.denseText.trim()), options.k + ranked.length);
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
    url: chunk.url,
    page: chunk.page,
    headingPath: chunk.headingPath,
  };
}

import type { Answer, Passage } from '../core/types.js';
import type { EvalCase } from './load-cases.js';
import { matchWords, normalizeForMatch, passageHitsContext } from './text-match.js';

/** The metric keys of a report, in display order. */
export const METRIC_KEYS = [
  'hit_at_1',
  'hit_at_5',
  'mrr_at_10',
  'fact_recall',
  'answer_f1',
  'citation_validity',
  'citation_precision',
  'refusal_precision',
  'refusal_recall',
  'latency_p50_ms',
  'latency_p95_ms',
] as const;

export type MetricKey = (typeof METRIC_KEYS)[number];
/** null: the case set cannot support the metric (no contexts, no unanswerable cases...). */
export type Metrics = Record<MetricKey, number | null>;

/** What one case produced, as the metrics need it. */
export interface CaseOutcome {
  testCase: EvalCase;
  answer: Answer;
  /** Up to 10 retrieved passages, best first. */
  retrieved: Passage[];
  /** Whether each citation's quote equals the stored text at its offsets. */
  citationChecks: boolean[];
  latencyMs: number;
}

export interface CaseMetrics {
  id: string;
  /** 1-based rank of the first retrieved passage that hits a gold context, or null if none in 10. */
  hitRank: number | null;
  factRecall: number | null;
  missingFacts: string[];
  answerF1: number | null;
  citationValidity: number | null;
  citationPrecision: number | null;
  refused: boolean;
  latencyMs: number;
}

/** Metrics of one case. */
export function scoreCase(outcome: CaseOutcome): CaseMetrics {
  const { testCase, answer } = outcome;
  const answerable = !testCase.unanswerable;
  const hasContexts = answerable && testCase.contexts.length > 0;
  const rank = hasContexts
    ? outcome.retrieved.slice(0, 10).findIndex((p) => testCase.contexts.some((context) => passageHitsContext(p.text, context)))
    : -1;
  const missingFacts = answerable ? testCase.must_include.filter((item) => !containsAny(answer.answer, item)).map(describeItem) : [];
  const citations = answer.citations;
  return {
    id: testCase.id,
    hitRank: hasContexts && rank >= 0 ? rank + 1 : null,
    factRecall: answerable && testCase.must_include.length > 0 ? 1 - missingFacts.length / testCase.must_include.length : null,
    missingFacts,
    answerF1: answerable && testCase.answer ? tokenF1(answer.answer.replace(/\[\d+\]/g, ' '), testCase.answer) : null,
    citationValidity: citationValidity(outcome),
    citationPrecision:
      hasContexts && citations.length > 0
        ? citations.filter((c) => testCase.contexts.some((context) => passageHitsContext(c.quote, context))).length / citations.length
        : null,
    refused: !answer.answerable,
    latencyMs: outcome.latencyMs,
  };
}

/**
 * Share of the answer's citations that hold, counting the ones the pipeline dropped as unverifiable
 * (`droppedCitations`) against it: kept citations alone were verified already, so could not fail.
 */
function citationValidity(outcome: CaseOutcome): number | null {
  const attempted = outcome.answer.citations.length + (outcome.answer.droppedCitations ?? 0);
  return attempted > 0 ? outcome.citationChecks.filter(Boolean).length / attempted : null;
}

/** Overall metrics: means over the cases that support each metric, null when none do. */
export function aggregate(cases: EvalCase[], scored: CaseMetrics[]): Metrics {
  const withContexts = scored.filter((_, i) => !cases[i].unanswerable && cases[i].contexts.length > 0);
  const hits = (k: number) =>
    withContexts.length ? withContexts.filter((c) => c.hitRank !== null && c.hitRank <= k).length / withContexts.length : null;
  const refusedCount = scored.filter((c) => c.refused).length;
  const unanswerableCount = cases.filter((c) => c.unanswerable).length;
  const correctRefusals = scored.filter((c, i) => c.refused && cases[i].unanswerable).length;
  const latencies = scored.map((c) => c.latencyMs).sort((a, b) => a - b);
  return {
    hit_at_1: hits(1),
    hit_at_5: hits(5),
    mrr_at_10: withContexts.length ? mean(withContexts.map((c) => (c.hitRank ? 1 / c.hitRank : 0))) : null,
    fact_recall: meanOf(scored.map((c) => c.factRecall)),
    answer_f1: meanOf(scored.map((c) => c.answerF1)),
    citation_validity: meanOf(scored.map((c) => c.citationValidity)),
    citation_precision: meanOf(scored.map((c) => c.citationPrecision)),
    refusal_precision: refusedCount ? correctRefusals / refusedCount : null,
    refusal_recall: unanswerableCount ? correctRefusals / unanswerableCount : null,
    latency_p50_ms: percentile(latencies, 0.5),
    latency_p95_ms: percentile(latencies, 0.95),
  };
}

/** SQuAD-style token F1 over lower-cased words. */
export function tokenF1(prediction: string, reference: string): number {
  const predicted = matchWords(prediction);
  const expected = matchWords(reference);
  if (predicted.length === 0 || expected.length === 0) return predicted.length === expected.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const word of expected) counts.set(word, (counts.get(word) ?? 0) + 1);
  let common = 0;
  for (const word of predicted) {
    const left = counts.get(word) ?? 0;
    if (left > 0) {
      common++;
      counts.set(word, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predicted.length;
  const recall = common / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function containsAny(text: string, item: string | string[]): boolean {
  const haystack = normalizeForMatch(text);
  return (Array.isArray(item) ? item : [item]).some((option) => haystack.includes(normalizeForMatch(option)));
}

function describeItem(item: string | string[]): string {
  return Array.isArray(item) ? item.join(' | ') : item;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function meanOf(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length ? mean(present) : null;
}

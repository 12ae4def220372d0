import type { Answer, Passage } from '../core/contracts/types.js';
import type { EvalCase } from './load-cases.js';
import { matchWords, normalizeForMatch, passageHitsContext } from './text-match.js';

/** The metric keys of a report, in display order. */
export const METRIC_KEYS = [
  'hit_at_1',
  'hit_at_5',
  'mrr_at_10',
  'correct_rate',
  'fact_recall',
  'false_refusal_rate',
  'answer_f1',
  'citation_validity',
  'citation_precision',
  'refusal_precision',
  'refusal_recall',
  'calibration_error',
  'answer_chars_mean',
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
  /** The answerability model's answer odds, when it judged the answer: measured in process, not for a refusal by rule. */
  answerOdds?: number | null;
  /** The model's own confidence for those odds, before a team's calibration (what a `shift` calibration is fitted on). */
  modelConfidence?: number | null;
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
  /**
   * Answerable: answered with every fact (without `must_include`, answered with a gold context
   * retrieved); unanswerable: refused. null when an answerable case has neither facts nor contexts.
   */
  correct: boolean | null;
  /** The answer's `confidence` (0..1), when the answer carries one. */
  confidence: number | null;
  /**
   * Whether the answer given, or on a refusal the candidate held back, is right: the event
   * `confidence` estimates, so what calibration is measured against. null when it cannot be judged.
   */
  candidateRight: boolean | null;
  /** The answer odds the confidence was calibrated from (what --calibrate fits); null when not measured. */
  answerOdds: number | null;
  /** The model's own confidence before a team's calibration; null when not measured. */
  modelConfidence: number | null;
  /** Characters of the answer text without its [n] markers; null for a refusal. */
  answerChars: number | null;
  latencyMs: number;
}

/** Fields an Answer may carry beyond the ones every surface has always had (issue 15). */
type ConfidentAnswer = Answer & { confidence?: number | null; candidate?: { answer: string } | null };

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
  const hitRank = hasContexts && rank >= 0 ? rank + 1 : null;
  const refused = !answer.answerable;
  const { confidence, candidate } = answer as ConfidentAnswer;
  const candidateText = refused ? candidate?.answer : answer.answer;
  const candidateRight = candidateText === undefined ? (judgeable(testCase) ? false : null) : isRight(testCase, candidateText, hitRank);
  return {
    id: testCase.id,
    hitRank,
    factRecall: answerable && testCase.must_include.length > 0 ? 1 - missingFacts.length / testCase.must_include.length : null,
    missingFacts,
    answerF1: answerable && testCase.answer ? tokenF1(answer.answer.replace(/\[\d+\]/g, ' '), testCase.answer) : null,
    citationValidity: citationValidity(outcome),
    citationPrecision:
      hasContexts && citations.length > 0
        ? citations.filter((c) => testCase.contexts.some((context) => passageHitsContext(c.quote, context))).length / citations.length
        : null,
    refused,
    correct: testCase.unanswerable ? refused : refused ? (judgeable(testCase) ? false : null) : candidateRight,
    confidence: typeof confidence === 'number' ? confidence : null,
    candidateRight,
    answerOdds: outcome.answerOdds ?? null,
    modelConfidence: outcome.modelConfidence ?? null,
    answerChars: refused ? null : answerLength(answer.answer),
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

/** Whether an answer text is right for the case; null when the case gives nothing to judge by. */
function isRight(testCase: EvalCase, text: string, hitRank: number | null): boolean | null {
  if (testCase.unanswerable) return false;
  if (testCase.must_include.length > 0) return testCase.must_include.every((item) => containsAny(text, item));
  return testCase.contexts.length > 0 ? hitRank !== null : null;
}

function judgeable(testCase: EvalCase): boolean {
  return testCase.unanswerable || testCase.must_include.length > 0 || testCase.contexts.length > 0;
}

/** Length of what a reader reads: the answer without its citation markers (and the space before them). */
function answerLength(text: string): number {
  return text.replace(/\s*\[\d+\]/g, '').length;
}

/** Overall metrics: means over the cases that support each metric, null when none do. */
export function aggregate(cases: EvalCase[], scored: CaseMetrics[]): Metrics {
  const withContexts = scored.filter((_, i) => !cases[i].unanswerable && cases[i].contexts.length > 0);
  const hits = (k: number) =>
    withContexts.length ? withContexts.filter((c) => c.hitRank !== null && c.hitRank <= k).length / withContexts.length : null;
  const refusedCount = scored.filter((c) => c.refused).length;
  const unanswerableCount = cases.filter((c) => c.unanswerable).length;
  const correctRefusals = scored.filter((c, i) => c.refused && cases[i].unanswerable).length;
  const answerable = scored.filter((_, i) => !cases[i].unanswerable);
  const latencies = scored.map((c) => c.latencyMs).sort((a, b) => a - b);
  const judged = scored.filter((c) => c.correct !== null);
  const calibrated = scored.filter((c) => c.confidence !== null && c.candidateRight !== null);
  return {
    hit_at_1: hits(1),
    hit_at_5: hits(5),
    mrr_at_10: withContexts.length ? mean(withContexts.map((c) => (c.hitRank ? 1 / c.hitRank : 0))) : null,
    correct_rate: judged.length ? judged.filter((c) => c.correct).length / judged.length : null,
    fact_recall: meanOf(scored.map((c) => c.factRecall)),
    false_refusal_rate: answerable.length ? answerable.filter((c) => c.refused).length / answerable.length : null,
    answer_f1: meanOf(scored.map((c) => c.answerF1)),
    citation_validity: meanOf(scored.map((c) => c.citationValidity)),
    citation_precision: meanOf(scored.map((c) => c.citationPrecision)),
    refusal_precision: refusedCount ? correctRefusals / refusedCount : null,
    refusal_recall: unanswerableCount ? correctRefusals / unanswerableCount : null,
    calibration_error: calibrated.length
      ? expectedCalibrationError(
          calibrated.map((c) => c.confidence!),
          calibrated.map((c) => c.candidateRight!),
        )
      : null,
    answer_chars_mean: meanOf(scored.map((c) => c.answerChars)),
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

/**
 * Expected calibration error over 10 equal-width confidence bins: the gap between the mean
 * confidence and the share right in each bin, weighted by the bin's share of the cases.
 * (Eleven lines of arithmetic; no maintained package computes it for plain arrays.)
 */
export function expectedCalibrationError(confidences: number[], right: boolean[]): number {
  const bins = Array.from({ length: 10 }, () => ({ count: 0, confidence: 0, right: 0 }));
  confidences.forEach((confidence, i) => {
    const bin = bins[Math.min(9, Math.max(0, Math.floor(confidence * 10)))];
    bin.count++;
    bin.confidence += confidence;
    if (right[i]) bin.right++;
  });
  return bins.reduce(
    (sum, bin) => (bin.count ? sum + ((bin.count / confidences.length) * Math.abs(bin.confidence - bin.right)) / bin.count : sum),
    0,
  );
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

import type { CaseMetrics } from './metrics.js';
import { reliability, type Reliability } from './reliability.js';

/**
 * The reliability of the confidence a reader sees: over the answers shown (refusals left out),
 * against whether each was right. null when no answer shown carries a confidence it can be judged by.
 */
export function shownReliability(results: CaseMetrics[]): Reliability | null {
  const shown = results.filter((result) => !result.refused && result.confidence !== null && result.candidateRight !== null);
  if (shown.length === 0) return null;
  return reliability(
    shown.map((result) => result.confidence!),
    shown.map((result) => result.candidateRight!),
  );
}

/** One tenth of the confidence scale, and the answers that fell in it. */
export interface ReliabilityBin {
  /** The bin covers [from, from + 0.1) (the last one includes 1). */
  from: number;
  count: number;
  /** Mean confidence of its answers, and the share of them that were right (null when empty). */
  meanConfidence: number | null;
  accuracy: number | null;
}

/** How far a confidence can be trusted over a set of answers. */
export interface Reliability {
  bins: ReliabilityBin[];
  /** Expected calibration error: the count-weighted gap between confidence and accuracy over the ten bins. */
  ece: number | null;
  /** Mean confidence minus the share right: above 0 the confidence overclaims, below it underclaims. */
  overclaim: number | null;
  /** The chance that a right answer has a higher confidence than a wrong one (ties count half). */
  auroc: number | null;
  /** Answers at confidence 0.8 or more, and the share of them that are right. */
  highShown: number;
  highPrecision: number | null;
}

/** Confidence at or above this is "high", as a reader (or a bot filtering on it) takes it. */
export const HIGH_CONFIDENCE = 0.8;

/**
 * The reliability of confidences against whether each answer was right: ten equal-width bins,
 * their expected calibration error, the overall overclaim, AUROC and the precision of the
 * answers shown with high confidence. The same figures as the shared eval-set tool reports.
 */
export function reliability(confidences: number[], right: boolean[]): Reliability {
  const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, count: 0, confidence: 0, right: 0 }));
  confidences.forEach((confidence, i) => {
    const bin = bins[Math.min(9, Math.max(0, Math.floor(confidence * 10)))];
    bin.count++;
    bin.confidence += confidence;
    if (right[i]) bin.right++;
  });
  const n = confidences.length;
  const ece = n ? bins.reduce((sum, bin) => sum + (bin.count ? Math.abs(bin.confidence - bin.right) / n : 0), 0) : null;
  const rightCount = right.filter(Boolean).length;
  const overclaim = n ? (confidences.reduce((sum, c) => sum + c, 0) - rightCount) / n : null;
  const high = confidences.flatMap((confidence, i) => (confidence >= HIGH_CONFIDENCE ? [i] : []));
  return {
    bins: bins.map((bin) => ({
      from: bin.from,
      count: bin.count,
      meanConfidence: bin.count ? bin.confidence / bin.count : null,
      accuracy: bin.count ? bin.right / bin.count : null,
    })),
    ece,
    overclaim,
    auroc: auroc(confidences, right),
    highShown: high.length,
    highPrecision: high.length ? high.filter((i) => right[i]).length / high.length : null,
  };
}

/** Mann–Whitney AUROC by ranks (ties averaged), null without both right and wrong answers. */
function auroc(scores: number[], positive: boolean[]): number | null {
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = scores.map((score, i) => ({ score, positive: positive[i] })).sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j].score === order[i].score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k].positive) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

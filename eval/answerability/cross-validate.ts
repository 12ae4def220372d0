import { expectedCalibrationError } from '../metrics.js';
import { fitLogistic, predictLogistic, type LogisticFit } from './fit-logistic.js';
import type { TrainingRow } from './collect-rows.js';
import { EVIDENCE_FEATURES, EVIDENCE_SIGNS } from '../../core/evidence/answer-evidence.js';

/** Figures of one set at a threshold, from predictions the model made without seeing the set's documents. */
export interface SetFigures {
  set: string;
  cases: number;
  correctRate: number;
  /** Share of answerable cases answered right. */
  factRecall: number;
  falseRefusalRate: number;
  refusalPrecision: number | null;
  refusalRecall: number | null;
  /** Expected calibration error of the confidence against "the answer is right", 10 bins. */
  calibrationError: number;
}

export interface CrossValidation {
  folds: number;
  minConfidence: number;
  figures: SetFigures[];
  /** Per-row out-of-fold P(right), in row order. */
  confidences: number[];
  /** Per-row out-of-fold answer odds, in row order. */
  odds: number[];
}

export const FOLDS = 5;
export const L2 = 1;
/** Mean correct rates this close to the best count as equally good when choosing MIN_CONFIDENCE. */
const PLATEAU = 0.01;

/**
 * Rows weighted so that each set counts the same in the fit whatever its size: held-out sets
 * of every kind matter equally, and the 600 SQuAD cases must not drown the package docs.
 */
export function setBalancedWeights(rows: TrainingRow[]): number[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.set, (counts.get(row.set) ?? 0) + 1);
  const sets = counts.size;
  return rows.map((row) => rows.length / (sets * counts.get(row.set)!));
}

/**
 * Fits the model on the rows with every weight of the sign its feature allows
 * (EVIDENCE_SIGNS): a feature whose weight comes out the wrong way round (it moves with
 * others) is left out and the rest refitted, one at a time, largest wrong weight first.
 */
export function fitAll(allRows: TrainingRow[], target: 'right' | 'unanswerable' = 'right'): LogisticFit {
  // Cases refused by rule are never the model's to decide.
  const rows = allRows.filter((row) => !row.ruledOut);
  // Evidence that makes a right answer likelier makes an unanswerable question less likely.
  const direction = target === 'right' ? 1 : -1;
  const signs = EVIDENCE_FEATURES.map((name) => direction * EVIDENCE_SIGNS[name]);
  const active = signs.map(() => true);
  const labels = rows.map((r) => (target === 'right' ? r.label : r.unanswerable ? 1 : 0));
  const rowWeights = setBalancedWeights(rows);
  for (;;) {
    const columns = active.flatMap((on, j) => (on ? [j] : []));
    const partial = fitLogistic(
      rows.map((r) => columns.map((j) => r.features[j])),
      labels,
      { l2: L2, rowWeights },
    );
    const fit: LogisticFit = { mean: [], scale: [], weights: [], bias: partial.bias };
    signs.forEach((_, j) => {
      const k = columns.indexOf(j);
      fit.mean.push(k >= 0 ? partial.mean[k] : 0);
      fit.scale.push(k >= 0 ? partial.scale[k] : 1);
      fit.weights.push(k >= 0 ? partial.weights[k] : 0);
    });
    const wrong = columns.filter((j) => signs[j] * fit.weights[j] < 0).sort((a, b) => Math.abs(fit.weights[b]) - Math.abs(fit.weights[a]));
    if (wrong.length === 0) return fit;
    active[wrong[0]] = false;
  }
}

/**
 * Cross-validation with folds split by document (every case of a document in one fold), then
 * the refusal threshold on the answer odds that maximises the mean correct rate over sets.
 */
export function crossValidate(rows: TrainingRow[]): CrossValidation {
  const groups = [...new Set(rows.map((row) => row.group))].sort();
  const foldOf = new Map(groups.map((group, i) => [group, i % FOLDS]));
  const confidences = new Array<number>(rows.length).fill(0);
  const odds = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const training = rows.filter((row) => foldOf.get(row.group) !== fold);
    const right = fitAll(training, 'right');
    const unanswerable = fitAll(training, 'unanswerable');
    rows.forEach((row, i) => {
      if (foldOf.get(row.group) !== fold || row.ruledOut) return;
      confidences[i] = predictLogistic(right, row.features);
      odds[i] = confidences[i] / (confidences[i] + predictLogistic(unanswerable, row.features));
    });
  }
  const sets = [...new Set(rows.map((row) => row.set))];
  const meanCorrect = (threshold: number) =>
    sets.reduce((sum, set) => sum + figuresOf(set, rows, { odds, confidences }, threshold).correctRate, 0) / sets.length;
  const scored = [];
  for (let step = 5; step <= 95; step++) scored.push({ threshold: step / 100, score: meanCorrect(step / 100) });
  // The best mean is flat over a range of thresholds, and its exact peak moves with a few cases:
  // take the middle of the thresholds scoring within PLATEAU of the best, not the edge of the peak.
  const top = Math.max(...scored.map((s) => s.score));
  const plateau = scored.filter((s) => s.score >= top - PLATEAU).map((s) => s.threshold);
  const minConfidence = Math.round(((plateau[0] + plateau.at(-1)!) / 2) * 100) / 100;
  return {
    folds: FOLDS,
    minConfidence,
    figures: sets.map((set) => figuresOf(set, rows, { odds, confidences }, minConfidence)),
    confidences,
    odds,
  };
}

/** Out-of-fold (or any) judgements of each row, in row order. */
export interface RowJudgements {
  /** P(right) / (P(right) + P(unanswerable)); answered at or above the threshold. */
  odds: number[];
  /** P(right), compared with the label for calibration. */
  confidences: number[];
}

/** A set's figures when answers below `threshold` are refused. */
export function figuresOf(set: string, rows: TrainingRow[], judgements: RowJudgements, threshold: number): SetFigures {
  const indexes = rows.flatMap((row, i) => (row.set === set ? [i] : []));
  const answered = (i: number) => !rows[i].ruledOut && judgements.odds[i] >= threshold;
  const answerable = indexes.filter((i) => !rows[i].unanswerable);
  const unanswerable = indexes.filter((i) => rows[i].unanswerable);
  const refused = indexes.filter((i) => !answered(i));
  const correct = indexes.filter((i) => (answered(i) ? rows[i].label === 1 : rows[i].unanswerable)).length;
  return {
    set,
    cases: indexes.length,
    correctRate: round(correct / indexes.length),
    factRecall: round(answerable.filter((i) => answered(i) && rows[i].label === 1).length / Math.max(1, answerable.length)),
    falseRefusalRate: round(answerable.filter((i) => !answered(i)).length / Math.max(1, answerable.length)),
    refusalPrecision: refused.length ? round(refused.filter((i) => rows[i].unanswerable).length / refused.length) : null,
    refusalRecall: unanswerable.length ? round(unanswerable.filter((i) => !answered(i)).length / unanswerable.length) : null,
    calibrationError: round(
      expectedCalibrationError(
        indexes.map((i) => judgements.confidences[i]),
        indexes.map((i) => rows[i].label === 1),
      ),
    ),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

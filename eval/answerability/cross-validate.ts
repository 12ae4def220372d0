import { EVIDENCE_FEATURES, EVIDENCE_SIGNS } from '../../core/evidence/answer-evidence.js';
import type { DocumentGenre } from '../../core/evidence/answerability-model.js';
import { applyPlatt, logit, type PlattMap } from '../../core/evidence/confidence-calibration.js';
import { reliability } from '../reliability.js';
import type { TrainingRow } from './collect-rows.js';
import { fitLogistic, predictLogistic, type LogisticFit } from './fit-logistic.js';

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
  /** Expected calibration error (10 bins) of the confidence of the answers shown, against "the answer is right". */
  ece: number | null;
  /** Mean confidence of the answers shown minus the share of them that are right (above 0: it overclaims). */
  overclaim: number | null;
  /** How well the confidence ranks right answers above wrong ones among those shown. */
  auroc: number | null;
  /** Answers shown at confidence 0.8 or more, and the share of them that are right. */
  highShown: number;
  highPrecision: number | null;
}

export interface CrossValidation {
  folds: number;
  /** How much each set weighs in the calibration: its case count to this power (0: every set the same; 1: every case). */
  calibrationWeighting: number;
  /** The refusal threshold on the answer odds; each genre's MIN_CONFIDENCE is its calibration of it. */
  minOdds: number;
  figures: SetFigures[];
  /** Per-row out-of-fold confidence (calibrated), in row order. */
  confidences: number[];
  /** Per-row out-of-fold answer odds, in row order. */
  odds: number[];
}

export const FOLDS = 5;
export const L2 = 1;
/** Mean correct rates this close to the best count as equally good when choosing MIN_CONFIDENCE. */
const PLATEAU = 0.01;
/** The set weightings of the calibration tried; cross-validation picks one (see crossValidate). */
const CALIBRATION_WEIGHTINGS = [0, 0.25, 0.5, 0.75, 1];
/** The calibration's slope is shrunk toward 0 (the genre's base rate) this much: thin evidence pulls to the average. */
const CALIBRATION_L2 = 0.5;

/**
 * Rows weighted so that each set counts the same in the fit whatever its size: held-out sets
 * of every kind matter equally, and the 600 SQuAD cases must not drown the package docs.
 */
export function setBalancedWeights(rows: TrainingRow[]): number[] {
  return setWeights(rows, 0);
}

/** Each row weighted by its set's case count to the power `power - 1`: a set then weighs its count to `power`. */
function setWeights(rows: TrainingRow[], power: number): number[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.set, (counts.get(row.set) ?? 0) + 1);
  const total = [...counts.values()].reduce((sum, n) => sum + n ** power, 0);
  return rows.map((row) => (rows.length * counts.get(row.set)! ** (power - 1)) / total);
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

/** The answer odds P(right) / (P(right) + P(unanswerable)) of the two regressions fitted on `training`, for each row. */
function oddsOf(training: TrainingRow[], rows: TrainingRow[]): number[] {
  const right = fitAll(training, 'right');
  const unanswerable = fitAll(training, 'unanswerable');
  return rows.map((row) => {
    const p = predictLogistic(right, row.features);
    return p / (p + predictLogistic(unanswerable, row.features) || 1);
  });
}

/** Out-of-fold answer odds of every row: each fold's from regressions fitted on the other folds. */
export function outOfFoldOdds(rows: TrainingRow[], folds = FOLDS): number[] {
  const foldOf = foldsByGroup(rows, folds);
  const odds = new Array<number>(rows.length).fill(0);
  for (let fold = 0; fold < folds; fold++) {
    const held = rows.flatMap((row, i) => (foldOf.get(row.group) === fold ? [i] : []));
    if (held.length === 0) continue;
    const predicted = oddsOf(
      rows.filter((row) => foldOf.get(row.group) !== fold),
      held.map((i) => rows[i]),
    );
    held.forEach((i, k) => (odds[i] = predicted[k]));
  }
  return odds;
}

/** Each document group's fold: groups in sorted order, dealt round. */
export function foldsByGroup(rows: Pick<TrainingRow, 'group'>[], folds: number): Map<string, number> {
  const groups = [...new Set(rows.map((row) => row.group))].sort();
  return new Map(groups.map((group, i) => [group, i % folds]));
}

/** The genre of documents a row's answer quotes. */
function genreOf(row: TrainingRow): DocumentGenre {
  return row.features[EVIDENCE_FEATURES.indexOf('structured_document')] > 0 ? 'structured' : 'prose';
}

/**
 * The calibration of each genre: a logistic map from (out-of-fold) answer odds to "the answer
 * is right", each set weighing its case count to `weighting`, the slope shrunk toward the genre's
 * base rate. A genre without rows gets the other's map.
 */
export function fitCalibration(rows: TrainingRow[], odds: number[], weighting: number): Record<DocumentGenre, PlattMap> {
  const maps: Partial<Record<DocumentGenre, PlattMap>> = {};
  for (const genre of ['prose', 'structured'] as const) {
    const chosen = rows.flatMap((row, i) => (!row.ruledOut && genreOf(row) === genre ? [i] : []));
    if (chosen.length === 0) continue;
    maps[genre] = fitPlattMap(
      chosen.map((i) => odds[i]),
      chosen.map((i) => rows[i].label),
      setWeights(
        chosen.map((i) => rows[i]),
        weighting,
      ),
    );
  }
  const fallback = maps.prose ?? maps.structured ?? { slope: 1, intercept: 0 };
  return { prose: maps.prose ?? fallback, structured: maps.structured ?? fallback };
}

/**
 * A logistic map from answer odds to "the answer is right" (Platt scaling on the odds' logit),
 * the slope shrunk toward 0 (the base rate) so that thin evidence pulls to the average.
 */
export function fitPlattMap(odds: number[], labels: number[], rowWeights?: number[]): PlattMap {
  const fit = fitLogistic(
    odds.map((value) => [logit(value)]),
    labels,
    { l2: CALIBRATION_L2, rowWeights },
  );
  // The fit is over the standardised logit: written back as slope and intercept of the logit itself.
  const slope = fit.weights[0] / fit.scale[0];
  return { slope: round6(slope), intercept: round6(fit.bias - slope * fit.mean[0]) };
}

/**
 * Cross-validation with folds split by document (every case of a document in one fold). In each
 * fold the regressions and the calibration are fitted on the other folds only (the calibration on
 * their own inner out-of-fold odds), so every confidence is one the model gives a document it was
 * not fitted on. The set weighting of the calibration is the one whose worst set overclaims least
 * (mean confidence above the share right), a confidence that overclaims being the defect; the
 * refusal threshold (MIN_CONFIDENCE) the middle of those within PLATEAU of the best mean correct
 * rate over sets.
 */
export function crossValidate(rows: TrainingRow[]): CrossValidation {
  const foldOf = foldsByGroup(rows, FOLDS);
  const odds = new Array<number>(rows.length).fill(0);
  const confidences = new Map(CALIBRATION_WEIGHTINGS.map((weighting) => [weighting, new Array<number>(rows.length).fill(0)]));
  for (let fold = 0; fold < FOLDS; fold++) {
    const trainingIndexes = rows.flatMap((row, i) => (foldOf.get(row.group) !== fold ? [i] : []));
    const held = rows.flatMap((row, i) => (foldOf.get(row.group) === fold && !row.ruledOut ? [i] : []));
    const training = trainingIndexes.map((i) => rows[i]);
    const heldOdds = oddsOf(
      training,
      held.map((i) => rows[i]),
    );
    held.forEach((i, k) => (odds[i] = heldOdds[k]));
    const innerOdds = outOfFoldOdds(training, FOLDS - 1);
    for (const weighting of CALIBRATION_WEIGHTINGS) {
      const maps = fitCalibration(training, innerOdds, weighting);
      held.forEach((i) => (confidences.get(weighting)![i] = applyPlatt(maps[genreOf(rows[i])], odds[i])));
    }
  }
  // Which answers are shown is decided on the odds, the same for every weighting: one threshold
  // on them serves prose and structured documents alike, where one on the calibrated confidence,
  // whose scale differs by genre, cost correct answers in one genre or the other (measured).
  const minOdds = chooseThreshold(rows, odds);
  const candidates = CALIBRATION_WEIGHTINGS.map((weighting) => {
    const confidence = confidences.get(weighting)!;
    const figures = setsOf(rows).map((set) => figuresOf(set, rows, odds, minOdds, confidence));
    const worstOverclaim = Math.max(0, ...figures.map((f) => f.overclaim ?? 0));
    const meanEce = figures.reduce((sum, f) => sum + (f.ece ?? 0), 0) / figures.length;
    return { weighting, figures, worstOverclaim, meanEce, confidence };
  });
  const least = Math.min(...candidates.map((c) => c.worstOverclaim));
  // Weightings within 0.01 of the least overclaim are as good: of those, the best calibrated on average.
  const best = candidates.filter((c) => c.worstOverclaim <= least + 0.01).sort((a, b) => a.meanEce - b.meanEce)[0];
  return {
    folds: FOLDS,
    calibrationWeighting: best.weighting,
    minOdds,
    figures: best.figures,
    confidences: best.confidence,
    odds,
  };
}

/** What deciding to answer or refuse needs of a row: its set, whether it was right, answerable, or refused by rule. */
export type DecisionRow = Pick<TrainingRow, 'set' | 'label' | 'unanswerable' | 'ruledOut'>;

/** The refusal threshold on a score: the middle of the thresholds whose mean correct rate over sets is within PLATEAU of the best. */
export function chooseThreshold(rows: DecisionRow[], scores: number[]): number {
  const sets = setsOf(rows);
  const scored: { threshold: number; score: number }[] = [];
  for (let step = 5; step <= 95; step++) {
    const threshold = step / 100;
    scored.push({
      threshold,
      score: sets.reduce((sum, set) => sum + figuresOf(set, rows, scores, threshold, scores).correctRate, 0) / sets.length,
    });
  }
  // The best mean is flat over a range of thresholds, and its exact peak moves with a few cases:
  // take the middle of the thresholds scoring within PLATEAU of the best, not the edge of the peak.
  const top = Math.max(...scored.map((s) => s.score));
  const plateau = scored.filter((s) => s.score >= top - PLATEAU).map((s) => s.threshold);
  return Math.round(((plateau[0] + plateau.at(-1)!) / 2) * 100) / 100;
}

function setsOf(rows: DecisionRow[]): string[] {
  return [...new Set(rows.map((row) => row.set))];
}

/** A set's figures when answers whose `decision` score is below `threshold` are refused, shown with `confidence`. */
export function figuresOf(set: string, rows: DecisionRow[], decision: number[], threshold: number, confidence: number[]): SetFigures {
  const indexes = rows.flatMap((row, i) => (row.set === set ? [i] : []));
  const answered = (i: number) => !rows[i].ruledOut && decision[i] >= threshold;
  const answerable = indexes.filter((i) => !rows[i].unanswerable);
  const unanswerable = indexes.filter((i) => rows[i].unanswerable);
  const refused = indexes.filter((i) => !answered(i));
  const shown = indexes.filter(answered);
  const correct = indexes.filter((i) => (answered(i) ? rows[i].label === 1 : rows[i].unanswerable)).length;
  const shownReliability = reliability(
    shown.map((i) => confidence[i]),
    shown.map((i) => rows[i].label === 1),
  );
  return {
    set,
    cases: indexes.length,
    correctRate: round(correct / indexes.length),
    factRecall: round(answerable.filter((i) => answered(i) && rows[i].label === 1).length / Math.max(1, answerable.length)),
    falseRefusalRate: round(answerable.filter((i) => !answered(i)).length / Math.max(1, answerable.length)),
    refusalPrecision: refused.length ? round(refused.filter((i) => rows[i].unanswerable).length / refused.length) : null,
    refusalRecall: unanswerable.length ? round(unanswerable.filter((i) => !answered(i)).length / unanswerable.length) : null,
    ece: roundOrNull(shownReliability.ece),
    overclaim: roundOrNull(shownReliability.overclaim),
    auroc: roundOrNull(shownReliability.auroc),
    highShown: shownReliability.highShown,
    highPrecision: roundOrNull(shownReliability.highPrecision),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

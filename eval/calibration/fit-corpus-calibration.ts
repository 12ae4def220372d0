import { applyPlatt, applyShift, logit, type PlattMap } from '../../core/evidence/confidence-calibration.js';
import { chooseThreshold, fitPlattMap, FOLDS, foldsByGroup } from '../answerability/cross-validate.js';
import { reliability } from '../reliability.js';
import { CalibrationError } from './calibration-error.js';
import type { CalibrationRow } from './calibration-rows.js';

/**
 * Cases the model must have judged for a calibration; and how many of them must be right and how
 * many wrong to fit a map of the odds (with fewer of one kind, only the confidence's level is fitted: a shift).
 */
export const MIN_JUDGED = 20;
export const MIN_EACH = 5;
/** A target precision is only taken as met where at least this many answers are shown. */
const MIN_SHOWN = 5;

/** How the confidence measured on the cases: over every answer and held-back candidate the model judged, and with its refusals. */
export interface CalibrationFigures {
  /** Expected calibration error (10 bins), mean confidence minus share right, AUROC right-vs-wrong. */
  ece: number | null;
  overclaim: number | null;
  auroc: number | null;
  /** Judged at confidence 0.8 or more, and the share of them right. */
  highShown: number;
  highPrecision: number | null;
  /** With its refusals: cases answered, the share of them right, and the share of all cases handled right. */
  answered: number;
  answeredPrecision: number | null;
  correctRate: number;
}

/** What a calibration was fitted on and how it measured on held-out folds against the confidence as the run gave it. */
export interface CalibrationSummary {
  /** Cases the model judged (the map's data), of them right, and cases counted in correct_rate (those refused by rule too). */
  judged: number;
  right: number;
  cases: number;
  folds: number;
  /** The map of the answer odds, where the cases hold at least MIN_EACH right and MIN_EACH wrong answers. */
  map?: PlattMap;
  /**
   * Otherwise the shift of the model's own confidence (on the logit scale) that brings its mean to
   * the share right (counted with one more right and one more wrong, so that 40 of 40 right does
   * not make every answer certain).
   */
  shift?: number;
  minConfidence: number;
  /** The answer odds did not rank right answers above wrong ones: every judged answer gets the share right. */
  flat: boolean;
  /** `--target-precision`, or null when the threshold is the one handling most cases right. */
  targetPrecision: number | null;
  /** The run's own confidence and refusals (the shipped calibration unless CONFIDENCE_CALIBRATION was set). */
  before: CalibrationFigures;
  /** Each fold's confidence from a map fitted on the other folds, refused below minConfidence. */
  after: CalibrationFigures;
}

/**
 * Fits a team's own calibration from an eval run: a Platt map from the answer odds to "the
 * answer (or the candidate held back) is right" over every case the model judged (or, where
 * fewer than MIN_EACH of them are right or fewer are wrong, too few to learn how the confidence
 * should vary, a shift of the model's own confidence to the share right), and the refusal
 * threshold on the confidence it gives: the one handling most cases right (chosen as the shipped
 * model's is), or with `targetPrecision` the lowest at which the answers shown are that often
 * right. Both the threshold and the figures come from out-of-fold confidences (folds never split
 * a group), so they say how the calibration does on documents it was not fitted on.
 */
export function fitCorpusCalibration(rows: CalibrationRow[], options: { targetPrecision?: number } = {}): CalibrationSummary {
  const judged = rows.flatMap((row, i) => (row.ruledOut ? [] : [i]));
  const right = judged.filter((i) => rows[i].label === 1).length;
  if (judged.length < MIN_JUDGED) {
    throw new CalibrationError(
      `A calibration needs at least ${MIN_JUDGED} cases the model judged (answered, or refused with a candidate); ` +
        `this run has ${judged.length} (${right} right, ${judged.length - right} wrong) of ${rows.length} cases that can be judged. Add cases to the file.`,
    );
  }
  const levelOnly = right < MIN_EACH || judged.length - right < MIN_EACH;
  const fit = (indexes: number[]): ((row: CalibrationRow) => number) => {
    const labels = indexes.map((i) => rows[i].label);
    if (levelOnly) {
      const shift = levelShift(
        indexes.map((i) => rows[i].modelConfidence),
        labels,
      );
      return (row) => applyShift(row.modelConfidence, shift);
    }
    const map = increasingMap(
      indexes.map((i) => rows[i].odds),
      labels,
    );
    return (row) => applyPlatt(map, row.odds);
  };
  const folds = Math.min(FOLDS, new Set(judged.map((i) => rows[i].group)).size);
  if (folds < 2)
    throw new CalibrationError('Every judged case is about one document: add cases about other documents, so that some can be held out.');
  const foldOf = foldsByGroup(rows, folds);
  const heldOut = rows.map(() => 0);
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (i: number) => foldOf.get(rows[i].group) === fold;
    const calibrate = fit(judged.filter((i) => !inFold(i)));
    for (const i of judged.filter(inFold)) heldOut[i] = calibrate(rows[i]);
  }
  const labels = judged.map((i) => rows[i].label);
  const map = levelOnly
    ? undefined
    : increasingMap(
        judged.map((i) => rows[i].odds),
        labels,
      );
  const shift = levelOnly
    ? levelShift(
        judged.map((i) => rows[i].modelConfidence),
        labels,
      )
    : undefined;
  const minConfidence =
    options.targetPrecision === undefined ? chooseThreshold(rows, heldOut) : thresholdForPrecision(rows, heldOut, options.targetPrecision);
  return {
    judged: judged.length,
    right,
    cases: rows.length,
    folds,
    ...(map ? { map } : { shift }),
    flat: map?.slope === 0,
    minConfidence,
    targetPrecision: options.targetPrecision ?? null,
    before: figuresOf(
      rows,
      judged.map((i) => rows[i].confidence),
      rows.map((row) => row.answered),
    ),
    after: figuresOf(
      rows,
      judged.map((i) => heldOut[i]),
      rows.map((row, i) => !row.ruledOut && heldOut[i] >= minConfidence),
    ),
  };
}

/**
 * The Platt map of the odds, never decreasing: where the fit slopes down, the odds do not rank right
 * answers above wrong ones on these cases, and the calibrated confidence is the share right for all
 * (a map sloping down would refuse the answers the model finds likeliest).
 */
function increasingMap(odds: number[], labels: number[]): PlattMap {
  const map = fitPlattMap(odds, labels);
  if (map.slope > 0) return map;
  const share = labels.reduce((sum, label) => sum + label, 0) / labels.length;
  return { slope: 0, intercept: Math.round(logit(share) * 1e6) / 1e6 };
}

/**
 * The shift on the logit scale that makes the mean shifted confidence the share right, counted
 * with one more right and one more wrong answer (Laplace's rule: 40 of 40 right gives 41/42, not
 * certainty). Found by bisection: the mean grows with the shift.
 */
export function levelShift(confidences: number[], labels: number[]): number {
  const target = (labels.reduce((sum, label) => sum + label, 0) + 1) / (labels.length + 2);
  const mean = (shift: number) => confidences.reduce((sum, c) => sum + applyShift(c, shift), 0) / confidences.length;
  let low = -20;
  let high = 20;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (mean(middle) < target) low = middle;
    else high = middle;
  }
  return Math.round(((low + high) / 2) * 1e6) / 1e6;
}

/** The lowest threshold (in hundredths) at which at least MIN_SHOWN answers are shown and `precision` of them are right. */
function thresholdForPrecision(rows: CalibrationRow[], confidences: number[], precision: number): number {
  let best = { precision: 0, threshold: 0 };
  for (let step = 1; step <= 99; step++) {
    const threshold = step / 100;
    const shown = rows.filter((row, i) => !row.ruledOut && confidences[i] >= threshold);
    if (shown.length < MIN_SHOWN) break;
    const reached = shown.filter((row) => row.label === 1).length / shown.length;
    if (reached >= precision) return threshold;
    if (reached > best.precision) best = { precision: reached, threshold };
  }
  throw new CalibrationError(
    `No refusal threshold makes the answers shown ${precision} right on held-out folds (with at least ${MIN_SHOWN} shown): ` +
      `the most is ${round(best.precision)}, at confidence ${best.threshold}. Give a lower --target-precision, or add cases.`,
  );
}

/** The figures of confidences of the judged rows (in order), and of answering the rows marked `answered`. */
function figuresOf(rows: CalibrationRow[], judgedConfidences: number[], answered: boolean[]): CalibrationFigures {
  const judged = rows.filter((row) => !row.ruledOut);
  const measured = reliability(
    judgedConfidences,
    judged.map((row) => row.label === 1),
  );
  const shown = rows.filter((_, i) => answered[i]);
  const correct = rows.filter((row, i) => (answered[i] ? row.label === 1 : row.unanswerable)).length;
  return {
    ece: roundOrNull(measured.ece),
    overclaim: roundOrNull(measured.overclaim),
    auroc: roundOrNull(measured.auroc),
    highShown: measured.highShown,
    highPrecision: roundOrNull(measured.highPrecision),
    answered: shown.length,
    answeredPrecision: shown.length ? round(shown.filter((row) => row.label === 1).length / shown.length) : null,
    correctRate: round(correct / rows.length),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}

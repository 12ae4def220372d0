import { z } from 'zod';

/** A logistic map from the model's answer odds to a probability: sigmoid(slope · logit(odds) + intercept). */
export interface PlattMap {
  slope: number;
  intercept: number;
}

/**
 * A calibration fitted on a team's own eval set (`npm run eval -- --calibrate OUT.json`): the map
 * from the shipped model's answer odds to the probability that an answer is right on that team's
 * documents, and the refusal threshold in the same units. CONFIDENCE_CALIBRATION names its file.
 */
export interface CorpusCalibration {
  /** Who fitted it, on what, and how it measured (for people reading the file). */
  about: Record<string, unknown>;
  map: PlattMap;
  minConfidence: number;
}

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const calibrationSchema = z.object({
  about: z.record(z.string(), z.unknown()).default({}),
  map: z.object({ slope: finite, intercept: finite }),
  minConfidence: z.number().min(0).max(1),
});

/** A calibration file's JSON as a CorpusCalibration; throws naming the first problem. */
export function parseCalibration(raw: unknown): CorpusCalibration {
  const parsed = calibrationSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new Error(`not a calibration file written by npm run eval -- --calibrate (${where}${issue.message})`);
}

/** The probability a Platt map gives the answer odds. */
export function applyPlatt(map: PlattMap, odds: number): number {
  return 1 / (1 + Math.exp(-(map.slope * logit(odds) + map.intercept)));
}

/** log(p / (1 - p)), kept finite at 0 and 1. */
export function logit(p: number): number {
  const clipped = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(clipped / (1 - clipped));
}

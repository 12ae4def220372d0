import { z } from 'zod';

/** A logistic map from the model's answer odds to a probability: sigmoid(slope · logit(odds) + intercept). */
export interface PlattMap {
  slope: number;
  intercept: number;
}

/**
 * A calibration fitted on a team's own eval set (`npm run eval -- --calibrate OUT.json`), and the
 * refusal threshold in the same units. CONFIDENCE_CALIBRATION names its file. It holds one of:
 * - `map`: from the shipped model's answer odds to the probability that an answer is right on
 *   that team's documents (fitted where the set has enough right and wrong answers);
 * - `shift`: added to the logit of the shipped model's own confidence, moving its level to the
 *   share right on the team's documents while keeping its ranking and its shape per genre
 *   (fitted where nearly every answer, or nearly none, is right: too few of one kind to learn a map).
 */
export interface CorpusCalibration {
  /** Who fitted it, on what, and how it measured (for people reading the file). */
  about: Record<string, unknown>;
  map?: PlattMap;
  shift?: number;
  minConfidence: number;
}

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const calibrationSchema = z
  .object({
    about: z.record(z.string(), z.unknown()).default({}),
    map: z.object({ slope: finite, intercept: finite }).optional(),
    shift: finite.optional(),
    minConfidence: z.number().min(0).max(1),
  })
  .refine((file) => (file.map === undefined) !== (file.shift === undefined), {
    message: 'needs either map (slope, intercept) or shift, not both',
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

/** A confidence moved by `shift` on the logit scale (what a `shift` calibration does to the model's own confidence). */
export function applyShift(confidence: number, shift: number): number {
  return 1 / (1 + Math.exp(-(logit(confidence) + shift)));
}

/** log(p / (1 - p)), kept finite at 0 and 1. */
export function logit(p: number): number {
  const clipped = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(clipped / (1 - clipped));
}

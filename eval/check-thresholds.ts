import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { METRIC_KEYS, type MetricKey, type Metrics } from './metrics.js';
import { CaseFileError } from './case-file-error.js';

const boundSchema = z.strictObject({ min: z.number().optional(), max: z.number().optional() });
const thresholdsSchema = z.partialRecord(z.enum(METRIC_KEYS), boundSchema);

export type Thresholds = z.infer<typeof thresholdsSchema>;

/** One pass/fail check of a metric against a bound. */
export interface Check {
  metric: MetricKey;
  value: number | null;
  kind: 'min' | 'max' | 'baseline';
  bound: number;
  passed: boolean;
  message: string;
}

/** Rates where lower is better: a baseline comparison fails when they rise by more than the allowed drop. */
export const LOWER_IS_BETTER = new Set<MetricKey>(['false_refusal_rate', 'calibration_error']);
/** Left out of baseline comparisons: timings vary by machine, and a longer answer is neither better nor worse by itself. */
const NOT_COMPARED = new Set<MetricKey>(['latency_p50_ms', 'latency_p95_ms', 'answer_chars_mean']);

export async function loadThresholds(file: string): Promise<Thresholds> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CaseFileError(`Cannot read the thresholds file ${file}: ${(error as Error).message}`);
  }
  const parsed = thresholdsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CaseFileError(
      `${file}: ${issue.path.join('.') || 'thresholds'}: ${issue.message} (metrics: ${METRIC_KEYS.join(', ')}; bounds: {"min": x} or {"max": x})`,
    );
  }
  return parsed.data;
}

/** Checks each metric with a bound; a metric the cases cannot support (null) is not checked. */
export function checkThresholds(metrics: Metrics, thresholds: Thresholds): Check[] {
  const checks: Check[] = [];
  for (const metric of METRIC_KEYS) {
    const bound = thresholds[metric];
    const value = metrics[metric];
    if (!bound || value === null) continue;
    if (bound.min !== undefined) checks.push(check(metric, value, 'min', bound.min, value >= bound.min));
    if (bound.max !== undefined) checks.push(check(metric, value, 'max', bound.max, value <= bound.max));
  }
  return checks;
}

/**
 * Fails each quality metric that got worse by more than `maxDrop` than the baseline report's
 * value: dropped, or for a rate where lower is better (false refusals, calibration error), rose.
 */
export function checkBaseline(metrics: Metrics, baseline: Partial<Metrics>, maxDrop: number): Check[] {
  const checks: Check[] = [];
  for (const metric of METRIC_KEYS) {
    const before = baseline[metric];
    const value = metrics[metric];
    if (NOT_COMPARED.has(metric) || before === null || before === undefined || value === null) continue;
    if (LOWER_IS_BETTER.has(metric)) checks.push(check(metric, value, 'baseline', before + maxDrop, value <= before + maxDrop, before));
    else checks.push(check(metric, value, 'baseline', before - maxDrop, value >= before - maxDrop, before));
  }
  return checks;
}

function check(metric: MetricKey, value: number, kind: Check['kind'], bound: number, passed: boolean, baseline?: number): Check {
  const shown = format(value);
  const message =
    kind === 'baseline'
      ? `${metric} = ${shown}, baseline ${format(baseline!)}, allowed ${LOWER_IS_BETTER.has(metric) ? 'up' : 'down'} to ${format(bound)}`
      : `${metric} = ${shown}, ${kind === 'min' ? 'must be at least' : 'must be at most'} ${format(bound)}`;
  return { metric, value, kind, bound, passed, message: passed ? message : `FAILED ${message}` };
}

export function format(value: number | null): string {
  if (value === null) return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

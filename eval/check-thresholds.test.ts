import { describe, expect, it } from 'vitest';
import { checkBaseline, checkThresholds } from './check-thresholds.js';
import { METRIC_KEYS, type Metrics } from './metrics.js';

function metrics(values: Partial<Metrics>): Metrics {
  return { ...Object.fromEntries(METRIC_KEYS.map((key) => [key, null])), ...values } as Metrics;
}

describe('checks of the quality metrics', () => {
  it('bounds correct_rate from below and false_refusal_rate from above', () => {
    const checks = checkThresholds(metrics({ correct_rate: 0.5, false_refusal_rate: 0.2 }), {
      correct_rate: { min: 0.6 },
      false_refusal_rate: { max: 0.1 },
    });
    expect(checks.map((c) => c.message)).toEqual([
      'FAILED correct_rate = 0.500, must be at least 0.600',
      'FAILED false_refusal_rate = 0.200, must be at most 0.100',
    ]);
  });

  it('fails a rate where lower is better when it rose past the baseline, and a drop in the others', () => {
    const now = metrics({
      correct_rate: 0.7,
      false_refusal_rate: 0.15,
      calibration_error: 0.08,
      answer_chars_mean: 400,
      latency_p95_ms: 90,
    });
    const before = { correct_rate: 0.75, false_refusal_rate: 0.1, calibration_error: 0.07, answer_chars_mean: 200, latency_p95_ms: 10 };
    const checks = checkBaseline(now, before, 0.02);
    expect(checks.map((c) => [c.metric, c.passed])).toEqual([
      ['correct_rate', false],
      ['false_refusal_rate', false],
      ['calibration_error', true],
    ]);
    expect(checks[1].message).toBe('FAILED false_refusal_rate = 0.150, baseline 0.100, allowed up to 0.120');
  });
});

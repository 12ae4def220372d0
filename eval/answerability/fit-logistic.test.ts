import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from './fit-logistic.js';

/** A small deterministic sample from a known logistic model: p = sigmoid(2x - 1), x on a grid. */
function sample() {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 400; i++) {
    const x = (i % 40) / 10 - 2;
    const p = 1 / (1 + Math.exp(-(2 * x - 1)));
    // Deterministic labels with the right frequencies: the first round(p * 10) of every 10 are 1.
    rows.push([x, 7]);
    labels.push(Math.floor(i / 40) < Math.round(p * 10) ? 1 : 0);
  }
  return { rows, labels };
}

describe('fitLogistic', () => {
  it('recovers a known logistic model, and a constant feature gets no weight', () => {
    const { rows, labels } = sample();
    const fit = fitLogistic(rows, labels, { l2: 0 });
    expect(fit.weights[0] / fit.scale[0]).toBeCloseTo(2, 0);
    expect(fit.weights[1]).toBe(0);
    expect(predictLogistic(fit, [0.5, 7])).toBeCloseTo(0.5, 1);
  });

  it('is deterministic, shrinks weights under an L2 penalty, and honours row weights', () => {
    const { rows, labels } = sample();
    expect(fitLogistic(rows, labels, { l2: 1 })).toEqual(fitLogistic(rows, labels, { l2: 1 }));
    expect(Math.abs(fitLogistic(rows, labels, { l2: 100 }).weights[0])).toBeLessThan(
      Math.abs(fitLogistic(rows, labels, { l2: 1 }).weights[0]),
    );
    const positivesCount = labels.map((label) => (label ? 3 : 1));
    expect(predictLogistic(fitLogistic(rows, labels, { l2: 1, rowWeights: positivesCount }), [0.5, 7])).toBeGreaterThan(0.6);
  });
});

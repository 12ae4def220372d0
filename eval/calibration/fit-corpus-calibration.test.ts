import { describe, expect, it } from 'vitest';
import { applyPlatt, applyShift, logit, parseCalibration } from '../../core/evidence/confidence-calibration.js';
import { CalibrationError } from './calibration-error.js';
import { calibrationFile, calibrationLines } from './calibration-report.js';
import type { CalibrationRow } from './calibration-rows.js';
import { fitCorpusCalibration, levelShift, MIN_JUDGED } from './fit-corpus-calibration.js';

/**
 * Rows from a known relation: answer odds on a grid over 8 documents, right with probability
 * sigmoid(2·logit(odds) + 1) (deterministically: the first round(p · 10) of every 10 at an odds
 * are right); the run's confidence squeezed into 0.35..0.5, as the shipped calibration gives
 * terse structured documents (it underclaims the right answers).
 */
function rows(count = 200, relation = (odds: number) => 1 / (1 + Math.exp(-(2 * logit(odds) + 1)))): CalibrationRow[] {
  return Array.from({ length: count }, (_, i) => {
    const odds = 0.05 + ((i % 20) / 20) * 0.9;
    const right = Math.floor(i / 20) % 10 < Math.round(relation(odds) * 10);
    const confidence = 0.35 + 0.15 * odds;
    return {
      set: 'terse',
      group: `doc-${i % 8}`,
      id: `c${i}`,
      label: right ? 1 : 0,
      unanswerable: !right && i % 3 === 0,
      ruledOut: false,
      odds,
      modelConfidence: confidence,
      confidence,
      answered: confidence >= 0.4,
    };
  });
}

describe('fitCorpusCalibration', () => {
  it('fits a map that brings the held-out error down where the run underclaims, and says so in its summary', () => {
    const summary = fitCorpusCalibration(rows());
    expect(summary.map!.slope).toBeGreaterThan(1);
    expect(summary.folds).toBe(5);
    expect(summary.judged).toBe(200);
    expect(summary.before.overclaim!).toBeLessThan(-0.15);
    expect(summary.after.ece!).toBeLessThan(summary.before.ece! / 2);
    expect(Math.abs(summary.after.overclaim!)).toBeLessThan(0.05);
    // Monotone maps keep the ranking: AUROC stays (up to the fold-to-fold differences of the maps).
    expect(summary.after.auroc!).toBeCloseTo(summary.before.auroc!, 1);
    expect(summary.minConfidence).toBeGreaterThan(0);
    expect(summary.minConfidence).toBeLessThan(1);
    expect(summary.targetPrecision).toBeNull();
  });

  it('with a target precision refuses below the lowest confidence at which the answers shown are that often right out of fold', () => {
    const plain = fitCorpusCalibration(rows());
    const strict = fitCorpusCalibration(rows(), { targetPrecision: 0.9 });
    expect(strict.targetPrecision).toBe(0.9);
    expect(strict.after.answeredPrecision!).toBeGreaterThanOrEqual(0.9);
    expect(strict.minConfidence).toBeGreaterThan(plain.minConfidence);
    expect(strict.after.answered).toBeLessThan(plain.after.answered);
    // The same map: only the threshold depends on the target.
    expect(strict.map).toEqual(plain.map);
  });

  it('leaves the cases refused by rule out of the map but counts them in correct_rate', () => {
    const withRuledOut = [
      ...rows(),
      ...Array.from({ length: 10 }, (_, i): CalibrationRow => ({
        ...rows(1)[0],
        id: `ruled-${i}`,
        ruledOut: true,
        odds: 0,
        label: 0,
        unanswerable: true,
        answered: false,
      })),
    ];
    const summary = fitCorpusCalibration(withRuledOut);
    expect(summary.judged).toBe(200);
    expect(summary.cases).toBe(210);
    expect(summary.map).toEqual(fitCorpusCalibration(rows()).map);
    // Ten more cases handled right (refused, and unanswerable).
    expect(summary.after.correctRate).toBeGreaterThan(fitCorpusCalibration(rows()).after.correctRate);
  });

  it('says how many cases it needs, and why, when the cases cannot support a calibration', () => {
    expect(() => fitCorpusCalibration(rows(MIN_JUDGED - 1))).toThrow(/at least 20 cases the model judged.*this run has 19/);
    const oneDocument = rows().map((row) => ({ ...row, group: 'doc' }));
    expect(() => fitCorpusCalibration(oneDocument)).toThrow(/about one document/);
    // Never more than 8 in 10 right at any odds: no threshold shows answers 0.9 right.
    const atMostEight = rows(200, (odds) => 0.3 + 0.5 * odds);
    expect(() => fitCorpusCalibration(atMostEight, { targetPrecision: 0.9 })).toThrow(CalibrationError);
    expect(() => fitCorpusCalibration(atMostEight, { targetPrecision: 0.9 })).toThrow(
      /the most is 0\.\d+, at confidence 0\.\d+\. Give a lower --target-precision/,
    );
  });

  it('where nearly every answer is right, moves the model’s own confidence to the share right and keeps its ranking', () => {
    // 60 cases over 6 documents, all but two right; the model's own confidence 0.55..0.75 (it underclaims).
    const mostlyRight = Array.from({ length: 60 }, (_, i): CalibrationRow => {
      const modelConfidence = 0.55 + (i % 10) * 0.02;
      return {
        set: 'easy',
        group: `doc-${i % 6}`,
        id: `e${i}`,
        label: i === 3 || i === 40 ? 0 : 1,
        unanswerable: false,
        ruledOut: false,
        odds: 0.5 + (i % 10) * 0.04,
        modelConfidence,
        confidence: modelConfidence,
        answered: true,
      };
    });
    const summary = fitCorpusCalibration(mostlyRight);
    expect(summary.map).toBeUndefined();
    expect(summary.shift).toBeGreaterThan(2);
    expect(summary.flat).toBe(false);
    // Laplace's rule: the mean is (58 + 1) / (60 + 2), not the 58 / 60 of these very cases.
    const mean = mostlyRight.reduce((sum, row) => sum + applyShift(row.modelConfidence, summary.shift!), 0) / mostlyRight.length;
    expect(mean).toBeCloseTo(59 / 62, 4);
    expect(summary.before.overclaim!).toBeLessThan(-0.25);
    expect(summary.after.ece!).toBeLessThan(0.1);
    expect(summary.after.answered).toBe(60);
    // The file holds the shift, and the server reads it back.
    const file = calibrationFile({ ...summary, file: 'out.json', foldsBy: 'document' }, 'easy.jsonl', '2026-01-01T00:00:00.000Z');
    expect(parseCalibration(JSON.parse(JSON.stringify(file)))).toMatchObject({
      shift: summary.shift,
      minConfidence: summary.minConfidence,
    });
    expect(calibrationLines({ ...summary, file: 'out.json', foldsBy: 'document' }).join('\n')).toContain(
      "sigmoid(logit(model's confidence) +",
    );
  });

  it('finds the shift by bisection whatever the confidences, down as well as up', () => {
    const confidences = [0.9, 0.8, 0.95, 0.7];
    const down = levelShift(confidences, [0, 0, 0, 1]);
    const mean = confidences.reduce((sum, c) => sum + applyShift(c, down), 0) / confidences.length;
    expect(down).toBeLessThan(0);
    expect(mean).toBeCloseTo(2 / 6, 4);
  });

  it('gives every judged answer the share right when the odds do not rank right answers above wrong ones', () => {
    const reversed = fitCorpusCalibration(rows(200, (odds) => 1 - odds));
    expect(reversed.flat).toBe(true);
    expect(reversed.map!.slope).toBe(0);
    expect(applyPlatt(reversed.map!, 0.1)).toBeCloseTo(reversed.right / reversed.judged, 5);
    expect(fitCorpusCalibration(rows()).flat).toBe(false);
    const lines = calibrationLines({ ...reversed, file: 'out.json', foldsBy: 'document' });
    expect(lines).toContain(
      '  the answer odds do not rank right answers above wrong ones on these cases: every answer the model judges gets the share of them right as its confidence',
    );
  });
});

describe('the calibration file', () => {
  it('is what CONFIDENCE_CALIBRATION reads, and records the set, the folds and the figures before and after', () => {
    const summary = fitCorpusCalibration(rows());
    const report = { ...summary, file: 'out.json', foldsBy: 'document' as const };
    const file = JSON.parse(JSON.stringify(calibrationFile(report, 'cases.jsonl', '2026-01-01T00:00:00.000Z')));
    const parsed = parseCalibration(file);
    expect(parsed.map).toEqual(summary.map);
    expect(parsed.minConfidence).toBe(summary.minConfidence);
    expect(parsed.about).toMatchObject({
      set: 'cases.jsonl',
      judgedCases: 200,
      folds: 5,
      foldsBy: 'document',
      before: summary.before,
      after: summary.after,
    });
    expect(applyPlatt(parsed.map!, 0.9)).toBeGreaterThan(applyPlatt(parsed.map!, 0.5));
  });

  it('is described with the figures before and after, in the terminal and in Markdown', () => {
    const summary = fitCorpusCalibration(rows(), { targetPrecision: 0.9 });
    const report = { ...summary, file: 'out.json', foldsBy: 'document' as const };
    const terminal = calibrationLines(report).join('\n');
    expect(terminal).toContain('Calibration written to out.json:');
    expect(terminal).toContain('fitted on 200 cases the model judged');
    expect(terminal).toContain('at least 0.9 right on held-out folds');
    expect(terminal).toMatch(
      new RegExp(`before \\(as run\\)\\s+${summary.before.ece!.toFixed(3)}\\s+${summary.before.overclaim!.toFixed(3)}`),
    );
    expect(terminal).toMatch(new RegExp(`after \\(calibrated, held out\\)\\s+${summary.after.ece!.toFixed(3)}`));
    const markdown = calibrationLines(report, true);
    expect(markdown[0]).toMatch(/^Calibration written to `out.json`/);
    expect(markdown).toContain(
      `| before (as run) | ${summary.before.ece!.toFixed(3)} | ${summary.before.overclaim!.toFixed(3)} | ${summary.before.auroc!.toFixed(3)} | 0 (n/a) | ${summary.before.answered} (${summary.before.answeredPrecision!.toFixed(2)}) | ${summary.before.correctRate.toFixed(3)} |`,
    );
  });
});

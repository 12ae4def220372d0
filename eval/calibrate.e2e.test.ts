import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCalibration } from '../core/evidence/confidence-calibration.js';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { runScript, type ScriptResult } from '../test/helpers/run-script.js';
import { ROOT } from '../test/paths.js';
import type { EvalCase } from './load-cases.js';
import type { EvalReport } from './write-reports.js';

/**
 * Hand-written reference pages of twelve made-up tools (settings tables, flag lists, error codes,
 * a changelog, a YAML reference): terse structured documents, on which the shipped calibration,
 * fitted on prose articles and package READMEs, gives answers a confidence of 0.4 to 0.6 although
 * nine in ten are right. Eight questions each, one of them not answered by the page.
 */
const FIXTURE = join(ROOT, 'test/fixtures/terse-reference');

const dir = temporaryDir();
const files = {
  fit: join(dir, 'fit.jsonl'),
  held: join(dir, 'held.jsonl'),
  calibration: join(dir, 'calibration.json'),
  noThresholds: join(dir, 'no-thresholds.json'),
};

function runEval(args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  return runScript('eval/main.ts', args, env);
}

/** Runs the held-out half's cases and returns the JSON report. */
async function evaluateHeldOut(name: string, env: Record<string, string> = {}): Promise<EvalReport> {
  const json = join(dir, `${name}.json`);
  const run = await runEval(
    ['--cases', files.held, '--docs', join(FIXTURE, 'docs'), '--thresholds', files.noThresholds, '--json', json],
    env,
  );
  expect(run.code, run.err).toBe(0);
  return JSON.parse(readFileSync(json, 'utf8')) as EvalReport;
}

let calibrating: ScriptResult;
let shipped: EvalReport;
let calibrated: EvalReport;

beforeAll(async () => {
  const cases = readFileSync(join(FIXTURE, 'cases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvalCase);
  // The documents alternately in name order: the calibration is fitted on the cases of one half, measured on the other's.
  const documents = [...new Set(cases.map((testCase) => testCase.doc!))].sort();
  const half = (parity: number) =>
    cases
      .filter((testCase) => documents.indexOf(testCase.doc!) % 2 === parity)
      .map((testCase) => JSON.stringify(testCase))
      .join('\n');
  writeFileSync(files.fit, half(0));
  writeFileSync(files.held, half(1));
  writeFileSync(files.noThresholds, '{}');
  [calibrating, shipped] = await Promise.all([
    runEval(['--cases', files.fit, '--docs', join(FIXTURE, 'docs'), '--thresholds', files.noThresholds, '--calibrate', files.calibration]),
    evaluateHeldOut('shipped'),
  ]);
  expect(calibrating.code, calibrating.err).toBe(0);
  calibrated = await evaluateHeldOut('calibrated', { CONFIDENCE_CALIBRATION: files.calibration });
}, 90_000);

describe('npm run eval -- --calibrate', () => {
  it('writes a calibration file that CONFIDENCE_CALIBRATION reads, recording the set, its folds and the error before and after', () => {
    const calibration = parseCalibration(JSON.parse(readFileSync(files.calibration, 'utf8')));
    // Never sloping down (flat where the odds do not rank right answers above wrong ones on the fitted half).
    expect(calibration.map).toBeDefined();
    expect(calibration.map!.slope).toBeGreaterThanOrEqual(0);
    expect(calibration.about).toMatchObject({ set: files.fit, folds: 5, foldsBy: 'document' });
    const { before, after } = calibration.about as { before: { ece: number }; after: { ece: number } };
    expect(after.ece).toBeLessThan(before.ece);
    expect(calibrating.out).toMatch(/Calibration written to .*calibration\.json:\n {2}fitted on \d+ cases the model judged/);
    expect(calibrating.out).toMatch(new RegExp(`before \\(as run\\)\\s+${before.ece.toFixed(3)}`));
    expect(calibrating.out).toMatch(new RegExp(`after \\(calibrated, held out\\)\\s+${after.ece.toFixed(3)}`));
  });

  it('lowers the calibration error on the documents it was not fitted on', () => {
    // Over every answer and held-back candidate (the same cases in both runs)...
    expect(calibrated.metrics.calibration_error!).toBeLessThan(shipped.metrics.calibration_error!);
    // ...and over the answers shown, as a reader sees them.
    expect(calibrated.reliability!.ece!).toBeLessThan(shipped.reliability!.ece!);
    // Not bought by refusing: the threshold fitted with the map handles about as many cases right.
    expect(calibrated.metrics.correct_rate!).toBeGreaterThanOrEqual(shipped.metrics.correct_rate! - 0.05);
  });

  it('exits 2 with what to do on bad usage or too few cases', async () => {
    const docs = join(FIXTURE, 'docs');
    const few = join(dir, 'few.jsonl');
    writeFileSync(few, readFileSync(files.fit, 'utf8').split('\n').slice(0, 8).join('\n'));
    const [url, precision, alone, generative, tooFew] = await Promise.all([
      runEval(['--cases', files.fit, '--url', 'http://127.0.0.1:9', '--calibrate', files.calibration]),
      runEval(['--cases', files.fit, '--docs', docs, '--calibrate', files.calibration, '--target-precision', '0']),
      runEval(['--cases', files.fit, '--docs', docs, '--target-precision', '0.9']),
      runEval(['--cases', files.fit, '--docs', docs, '--calibrate', files.calibration, '--mode', 'generative']),
      runEval(['--cases', few, '--docs', docs, '--calibrate', join(dir, 'never.json')]),
    ]);
    expect(url.code).toBe(2);
    expect(url.err).toContain("--calibrate needs each answer's answer odds, which a server's answers do not carry");
    expect(precision.code).toBe(2);
    expect(precision.err).toContain('--target-precision must be a share above 0 and at most 1');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--target-precision goes with --calibrate FILE');
    expect(generative.code).toBe(2);
    expect(generative.err).toContain('--calibrate fits the confidence of the extractive evidence');
    expect(tooFew.code).toBe(2);
    expect(tooFew.err).toMatch(/--calibrate needs at least 20 cases the model judges; .*few\.jsonl holds 8/);
  });
});

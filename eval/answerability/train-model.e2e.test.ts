import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { minConfidenceOf, untrainedModel, type AnswerabilityModel } from '../../core/evidence/answerability-model.js';
import { buildLocalIndex, localEngine } from '../../test/helpers/local-engine.js';
import { CORPUS_DIR, ROOT, SEED_DEV } from '../../test/paths.js';
import { loadCases } from '../load-cases.js';
import { collectRows, type TrainingRow } from './collect-rows.js';
import type { SetFigures } from './cross-validate.js';
import { collectAll, parseRowsFile, trainModel } from './train-model.js';

const ROWS_FILE = join(ROOT, 'eval/answerability/training-rows.jsonl');
const SHIPPED = join(ROOT, 'core/evidence/answerability-model.json');
const OPEN_SETS = join(ROOT, '../shared/eval');

describe('the shipped answerability model', () => {
  const { rows, sources } = parseRowsFile(readFileSync(ROWS_FILE, 'utf8'));

  it('is what the training script fits from the committed rows, to the last digit', () => {
    expect(JSON.parse(JSON.stringify(trainModel(rows, sources)))).toEqual(JSON.parse(readFileSync(SHIPPED, 'utf8')));
  });

  it('names its training data and reports cross-validated figures for every set', () => {
    const model = JSON.parse(readFileSync(SHIPPED, 'utf8'));
    expect(model.about.data.map((d: { set: string }) => d.set)).toEqual([
      'seed-dev',
      'squad2-dev-open',
      'npm-docs-open',
      'blockchain_solana',
      'package-readmes',
    ]);
    expect(model.about.crossValidated).toHaveLength(5);
    expect(model.minOdds).toBeGreaterThan(0);
    expect(model.minOdds).toBeLessThan(1);
  });

  it('calibrates each genre so that its confidence grows with the answer odds, and states the refusal threshold in confidence units', () => {
    const model = JSON.parse(readFileSync(SHIPPED, 'utf8')) as AnswerabilityModel;
    for (const genre of ['prose', 'structured'] as const) expect(model.calibration![genre].slope).toBeGreaterThan(0);
    const thresholds = minConfidenceOf(model);
    for (const value of Object.values(thresholds)) expect(value).toBeGreaterThan(0);
    // The cross-validated figures carry the reliability of the confidence shown.
    for (const figures of model.about.crossValidated as SetFigures[]) expect(figures).toHaveProperty('ece');
  });

  let seedRows: TrainingRow[];
  beforeAll(async () => {
    const cases = await loadCases(SEED_DEV);
    const engine = localEngine(await buildLocalIndex(CORPUS_DIR), { minConfidence: 0, answerability: untrainedModel() });
    seedRows = await collectRows('seed-dev', cases, engine);
  });

  it('was collected with this version of the evidence features (seed-dev rows measured again match)', () => {
    expect(seedRows).toEqual(rows.filter((row) => row.set === 'seed-dev'));
  });

  // The open sets live beside the project in the development checkout; CI clones have only seed-dev.
  it.skipIf(!existsSync(OPEN_SETS))(
    'collects the same rows from the open sets as the committed file',
    async () => {
      const collected = await collectAll(OPEN_SETS);
      expect(collected.sources).toEqual(sources);
      expect(collected.rows).toEqual(rows);
    },
    120_000,
  );
});

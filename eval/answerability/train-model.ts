import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVIDENCE_FEATURES } from '../../core/evidence/answer-evidence.js';
import { minConfidenceOf, untrainedModel, type AnswerabilityModel } from '../../core/evidence/answerability-model.js';
import { loadConfig } from '../../config/load-config.js';
import { UsageError } from '../../cli/usage-error.js';
import { openEngine } from '../../runtime/open-engine.js';
import type { EvalCase } from '../load-cases.js';
import { collectRows, type TrainingRow } from './collect-rows.js';
import { FOLDS, L2, crossValidate, fitAll, fitCalibration, outOfFoldOdds, type SetFigures } from './cross-validate.js';

/** Where the training data came from, recorded in the rows file and the model. */
export interface TrainingSource {
  set: string;
  file: string;
  cases: number;
  sha256: string;
}

/** Where the project's own sets are (eval/datasets), for sets that ship with it rather than in --data. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The sets the model learns from: prose articles, a paper, package docs, the bundled corpus (in
 * --data), and package READMEs that ship with the project (eval/datasets/package-readmes).
 */
export const TRAINING_SETS: readonly { set: string; cases: string; docs: string | null; inProject?: boolean }[] = [
  { set: 'seed-dev', cases: 'seed-dev.jsonl', docs: null },
  { set: 'squad2-dev-open', cases: 'external/squad2-dev-open/cases.jsonl', docs: 'external/squad2-dev-open/docs' },
  { set: 'npm-docs-open', cases: 'external/npm-docs-open/cases.jsonl', docs: 'external/npm-docs-open/docs' },
  { set: 'blockchain_solana', cases: 'external/blockchain_solana/cases.jsonl', docs: 'external/blockchain_solana/docs' },
  {
    set: 'package-readmes',
    cases: 'eval/datasets/package-readmes/cases.jsonl',
    docs: 'eval/datasets/package-readmes/docs',
    inProject: true,
  },
];

/** Fits the shipped model from rows: deterministic, so the same rows give the same file. */
export function trainModel(rows: TrainingRow[], sources: TrainingSource[]): AnswerabilityModel {
  const validation = crossValidate(rows);
  const calibration = fitCalibration(rows, outOfFoldOdds(rows), validation.calibrationWeighting);
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  const weightsOf = (target: 'right' | 'unanswerable') => {
    const fit = fitAll(rows, target);
    return { mean: fit.mean.map(round), scale: fit.scale.map(round), weights: fit.weights.map(round), bias: round(fit.bias) };
  };
  return {
    about: {
      trainedBy: 'npm run train:answerability',
      predicts:
        'right: probability that the extractive answer holds every fact asked for; unanswerable: probability that the sources do not answer the question; confidence: the calibrated probability that the answer shown is right',
      data: sources,
      method: `two logistic regressions, L2 ${L2}, standardised features, weights of the sign each feature allows, each set weighted equally; their answer odds P(right) / (P(right) + P(unanswerable)) mapped to the confidence by a logistic calibration per genre (prose, structured), fitted on out-of-fold odds of every set, each set weighing its case count to the power ${validation.calibrationWeighting}`,
      validation: `${validation.folds}-fold cross-validation, folds split by document (a set of fewer documents than folds: by gold passage), the calibration fitted inside each fold on inner out-of-fold odds; the set weighting of the calibration is the one whose worst set overclaims least, then the best calibrated on average; MIN_CONFIDENCE, on the confidence, is the middle of the thresholds within 0.01 of the best mean correct rate over sets`,
      crossValidated: validation.figures,
    },
    features: [...EVIDENCE_FEATURES],
    right: weightsOf('right'),
    unanswerable: weightsOf('unanswerable'),
    calibration,
    minOdds: validation.minOdds,
  };
}

/** Runs every open set through the pipeline and records its rows. */
export async function collectAll(dataDir: string) {
  const rows: TrainingRow[] = [];
  const sources = [];
  for (const spec of TRAINING_SETS) {
    const base = spec.inProject ? PROJECT_ROOT : dataDir;
    const casesFile = join(base, spec.cases);
    const text = await readFile(casesFile, 'utf8');
    const cases = parseCases(text);
    const work = await mkdtemp(join(tmpdir(), 'verbatim-train-'));
    try {
      // Default settings and the local embedder, whatever the environment says: the model
      // ships for the default configuration.
      const config = loadConfig({});
      const docs = spec.docs ? join(base, spec.docs) : resolve(config.CORPUS_DIR);
      const engine = await openEngine(config, join(work, 'index'), {
        ingestIfMissing: docs,
        log: () => {},
        overrides: { answerability: untrainedModel(), minConfidence: 0 },
      });
      rows.push(...(await collectRows(spec.set, cases, engine)));
      console.error(`${spec.set}: ${cases.length} cases`);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    sources.push({
      set: spec.set,
      file: spec.inProject ? spec.cases : relative(dataDir, casesFile),
      cases: cases.length,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  }
  return { rows, sources };
}

export /** Case lines keep only the fields training needs (datasets carry extra metadata). */
function parseCases(text: string): EvalCase[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const raw = JSON.parse(line) as Partial<EvalCase>;
      return {
        id: String(raw.id),
        question: String(raw.question),
        history: raw.history,
        must_include: raw.must_include ?? [],
        contexts: raw.contexts ?? [],
        unanswerable: raw.unanswerable ?? false,
        doc: raw.doc ?? null,
      };
    });
}

/** The rows file: a header line naming the data and features, then one row per line. */
export function formatRowsFile(rows: TrainingRow[], sources: unknown[]): string {
  return [JSON.stringify({ features: EVIDENCE_FEATURES, sources }), ...rows.map((row) => JSON.stringify(row))].join('\n') + '\n';
}

export function parseRowsFile(text: string): {
  rows: TrainingRow[];
  sources: TrainingSource[];
} {
  const [header, ...lines] = text.trim().split('\n');
  const meta = JSON.parse(header) as { features: string[]; sources: TrainingSource[] };
  if (meta.features.join() !== EVIDENCE_FEATURES.join()) {
    throw new UsageError('The rows file was collected with other features than this version measures; collect again without --from-rows');
  }
  return { rows: lines.map((line) => JSON.parse(line) as TrainingRow), sources: meta.sources };
}

/** The cross-validated figures and weights, as the command prints them. */
export function describe(model: AnswerabilityModel): string {
  const figures = model.about.crossValidated as SetFigures[];
  const fixed = (value: number | null, width: number) => (value === null ? '-' : value.toFixed(3)).padStart(width);
  const thresholds = Object.entries(minConfidenceOf(model)).map(([genre, value]) => `${genre} ${value.toFixed(3)}`);
  const lines = [
    `answers at answer odds ${model.minOdds} or more (cross-validated, ${FOLDS} folds by document): MIN_CONFIDENCE ${thresholds.join(', ')}`,
  ];
  lines.push(
    'set                 cases correct fact_recall false_refusals refusal_precision refusal_recall   ece overclaim auroc  high (right)',
  );
  for (const f of figures) {
    lines.push(
      `${f.set.padEnd(20)}${String(f.cases).padStart(5)} ${fixed(f.correctRate, 7)} ${fixed(f.factRecall, 11)} ${fixed(f.falseRefusalRate, 14)} ${fixed(f.refusalPrecision, 17)} ${fixed(f.refusalRecall, 14)} ${fixed(f.ece, 5)} ${fixed(f.overclaim, 9)} ${fixed(f.auroc, 5)} ${String(f.highShown).padStart(5)} (${f.highPrecision === null ? '-' : f.highPrecision.toFixed(2)})`,
    );
  }
  for (const target of ['right', 'unanswerable'] as const) {
    const used = model.features.flatMap((name, i) =>
      model[target].weights[i] === 0 ? [] : [`${name} ${model[target].weights[i].toFixed(2)}`],
    );
    lines.push(`P(${target}) weights: ${used.join(', ')}`);
  }
  if (model.calibration) {
    lines.push(
      `calibration: ${Object.entries(model.calibration)
        .map(
          ([genre, map]) =>
            `${genre} ${map.slope.toFixed(2)}·logit(odds) ${map.intercept >= 0 ? '+' : '−'} ${Math.abs(map.intercept).toFixed(2)}`,
        )
        .join('; ')}`,
    );
  }
  return lines.join('\n');
}

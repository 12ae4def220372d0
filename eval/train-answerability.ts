import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import type { TrainingRow } from './answerability/collect-rows.js';
import { collectAll, describe, formatRowsFile, parseRowsFile, trainModel, type TrainingSource } from './answerability/train-model.js';

const USAGE = `usage: npm run train:answerability -- [options]
  --data DIR        the open evaluation sets (default: ../shared/eval); the project's own
                    (eval/datasets/package-readmes) are read from the project
  --rows FILE       training rows: written after collecting, read with --from-rows
                    (default: eval/answerability/training-rows.jsonl)
  --from-rows       fit from the rows file only (no indexes built, no answers run)
  --out FILE        the model to write (default: core/evidence/answerability-model.json)
Trains the answerability model: runs every open case through the answer pipeline (local
embedder, default settings), records its evidence, whether the answer was right and whether
the case is unanswerable, fits two logistic regressions (P(right), P(unanswerable); sets
weighted equally), picks MIN_CONFIDENCE by cross-validation with folds split by document, and
prints each set's cross-validated figures. Deterministic: the same rows give the same file.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/eval' },
      rows: { type: 'string', default: 'eval/answerability/training-rows.jsonl' },
      'from-rows': { type: 'boolean', default: false },
      out: { type: 'string', default: 'core/evidence/answerability-model.json' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = resolve(values.data!);
  let rows: TrainingRow[];
  let sources: TrainingSource[];
  if (values['from-rows']) {
    ({ rows, sources } = parseRowsFile(await readFile(values.rows!, 'utf8')));
  } else {
    if (!existsSync(dataDir))
      throw new UsageError(`No evaluation sets at ${dataDir}; give --data DIR, or --from-rows to fit from ${values.rows}`);
    ({ rows, sources } = await collectAll(dataDir));
    await writeFile(values.rows!, formatRowsFile(rows, sources));
    console.error(`Wrote ${rows.length} rows to ${values.rows}`);
  }
  const model = trainModel(rows, sources);
  await writeFile(values.out!, `${JSON.stringify(model, null, 2)}\n`);
  console.log(describe(model));
  console.error(`Wrote ${values.out}`);
  return 0;
}

runCli({ name: 'Training the answerability model', usage: USAGE, main });

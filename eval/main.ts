import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { readEnvironment } from '../config/read-environment.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import { DEFAULT_COLLECTION } from '../config/collection-name.js';
import { loadCollectionsFile } from '../config/load-collections-file.js';
import { loadConfig } from '../config/load-config.js';
import { indexSourceFolder } from '../runtime/index-source-folder.js';
import { findCollection } from '../runtime/list-collections.js';
import { openEngine } from '../runtime/open-engine.js';
import { openStoreDatabase } from '../runtime/open-store-database.js';
import { temporaryCollection } from '../runtime/temporary-collection.js';
import { calibrationFile, type CalibrationReport } from './calibration/calibration-report.js';
import { CalibrationError } from './calibration/calibration-error.js';
import { calibrationRows } from './calibration/calibration-rows.js';
import { fitCorpusCalibration, MIN_EACH, MIN_JUDGED } from './calibration/fit-corpus-calibration.js';
import { CaseFileError } from './case-file-error.js';
import { checkBaseline, checkThresholds, loadThresholds } from './check-thresholds.js';
import { loadCases, type EvalCase } from './load-cases.js';
import { describeMissingDocuments, missingDocuments } from './missing-documents.js';
import { aggregate, METRIC_KEYS, scoreCase, type CaseOutcome, type Metrics } from './metrics.js';
import { httpTarget, inProcessTarget, type EvalTarget } from './run-eval.js';
import { shownReliability } from './shown-reliability.js';
import { htmlReport } from './write-html-report.js';
import { caseFailures, junitReport, markdownReport, terminalReport, type EvalReport } from './write-reports.js';
import { WrongIndexError } from './wrong-index-error.js';

const USAGE = `usage: npm run eval -- --cases FILE [options]
  --docs DIR            build a temporary index from this folder first
  --index DIR           use an existing index (default: INDEX_DIR, built from CORPUS_DIR if missing)
  --url URL             evaluate a running server instead (with --api-key KEY)
  --collection NAME     the collection to evaluate (default: default), locally or with --url
  --mode MODE           extractive | generative
  --k N                 passages per answer
  --thresholds FILE     metric bounds (default: eval/thresholds.json)
  --baseline FILE       an earlier --json report; with --max-drop X (default 0.02), fail on drops
  --json FILE           write the full report
  --junit FILE          write JUnit XML
  --markdown FILE       write a Markdown summary
  --html FILE           write a self-contained HTML report (metrics chart, filterable cases)
  --dump-retrieval FILE write the retrieved passages of each case (JSON lines)
  --calibrate FILE      fit the confidence to these cases (in process, extractive) and write a
                        calibration file for CONFIDENCE_CALIBRATION; needs at least ${MIN_JUDGED} cases the
                        model judges (with fewer than ${MIN_EACH} right or ${MIN_EACH} wrong, only the level of the
                        confidence is fitted); the report gives ece before and after on held-out
                        folds by document
  --target-precision P  with --calibrate: refuse below the lowest confidence at which the answers
                        shown are at least P right (0 < P <= 1; default: the threshold handling most
                        cases right)
exit codes: 0 passed, 1 a threshold or baseline check failed, 2 bad usage, bad input or the run could not complete`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      docs: { type: 'string' },
      index: { type: 'string' },
      url: { type: 'string' },
      collection: { type: 'string' },
      'api-key': { type: 'string' },
      mode: { type: 'string' },
      k: { type: 'string' },
      thresholds: { type: 'string' },
      baseline: { type: 'string' },
      'max-drop': { type: 'string' },
      json: { type: 'string' },
      junit: { type: 'string' },
      markdown: { type: 'string' },
      html: { type: 'string' },
      'dump-retrieval': { type: 'string' },
      calibrate: { type: 'string' },
      'target-precision': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (!values.cases) throw new UsageError('--cases FILE is required');
  if (values.mode && values.mode !== 'extractive' && values.mode !== 'generative')
    throw new UsageError(`--mode must be extractive or generative, not "${values.mode}"`);
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 20))
    throw new UsageError(`--k must be a whole number from 1 to 20, not "${values.k}"`);
  const maxDrop = values['max-drop'] === undefined ? 0.02 : Number(values['max-drop']);
  if (!Number.isFinite(maxDrop) || maxDrop < 0)
    throw new UsageError(`--max-drop must be a number of at least 0, not "${values['max-drop']}"`);
  if ([values.docs, values.index, values.url].filter(Boolean).length > 1)
    throw new UsageError('give at most one of --docs, --index and --url');
  if (values.collection !== undefined && (values.docs || values.index))
    throw new UsageError('--collection goes with the configured collections or --url, not with --docs or --index');
  const targetPrecision = values['target-precision'] === undefined ? undefined : Number(values['target-precision']);
  if (targetPrecision !== undefined && !values.calibrate) throw new UsageError('--target-precision goes with --calibrate FILE');
  if (targetPrecision !== undefined && !(targetPrecision > 0 && targetPrecision <= 1))
    throw new UsageError(`--target-precision must be a share above 0 and at most 1 (e.g. 0.9), not "${values['target-precision']}"`);
  if (values.calibrate && values.url)
    throw new UsageError(
      "--calibrate needs each answer's answer odds, which a server's answers do not carry: calibrate in process with --docs DIR or --index DIR (the documents the server holds)",
    );
  if (values.calibrate && values.mode === 'generative')
    throw new UsageError('--calibrate fits the confidence of the extractive evidence: leave out --mode generative');
  // The confidence is measured on the extractive answer in either mode: calibrated against the answers it judges.
  const mode = (values.calibrate ? 'extractive' : values.mode) as 'extractive' | 'generative' | undefined;

  const notes: string[] = [];
  const cases = await loadCases(values.cases, (note) => {
    notes.push(note);
    console.error(`note: ${note}`);
  });
  if (values.calibrate && cases.length < MIN_JUDGED)
    throw new UsageError(`--calibrate needs at least ${MIN_JUDGED} cases the model judges; ${values.cases} holds ${cases.length}`);
  const thresholds = await loadThresholds(values.thresholds ?? 'eval/thresholds.json');
  const baseline = values.baseline ? await readBaseline(values.baseline) : null;

  let target: EvalTarget;
  let modeName = mode ?? 'server default';
  let cleanup = async () => {};
  const note = (line: string) => {
    notes.push(line);
    console.error(`note: ${line}`);
  };
  if (values.url) {
    const url = values.url.replace(/\/$/, '');
    target = httpTarget(url, values['api-key'], { mode, k, collection: values.collection });
    const held = await serverDocuments(url, values['api-key'], values.collection);
    const where = values.collection ? `the collection ${values.collection} of the server at ${url}` : `the server at ${url}`;
    if (held) checkDocuments(cases, held, where, null, note);
  } else {
    const environment = loadConfig(readEnvironment());
    if (values.index && environment.STORE === 'postgres')
      throw new UsageError('--index names an index folder: with STORE=postgres give --collection or --docs');
    const database = await openStoreDatabase(environment, 'verbatim eval');
    // A collection's own settings (collections file) apply as the server applies them; --docs and --index take the environment's.
    const collection =
      values.docs || values.index
        ? undefined
        : await findCollection(
            environment,
            environment.COLLECTIONS_FILE ? loadCollectionsFile(environment.COLLECTIONS_FILE) : undefined,
            values.collection ?? DEFAULT_COLLECTION,
            database,
          );
    const config = collection?.config ?? environment;
    let indexDir = values.index ? resolve(values.index) : (collection?.indexDir ?? resolve(environment.INDEX_DIR));
    let ingestIfMissing: string | undefined = collection?.sourceDir;
    let collectionName = collection?.name;
    if (values.docs) {
      ingestIfMissing = resolve(values.docs);
      if (database) {
        // The database's own collection for this run, as --docs builds a throw-away index folder.
        const temporary = temporaryCollection(database, 'eval');
        collectionName = temporary.name;
        cleanup = () => temporary.remove();
      } else {
        indexDir = join(tmpdir(), `verbatim-eval-${process.pid}-${Date.now()}`, 'index');
        cleanup = () => rm(dirname(indexDir), { recursive: true, force: true });
      }
    }
    const engine = await openEngine(config, indexDir, { ingestIfMissing, database, collection: collectionName });
    const stored = database ? `the collection ${collectionName} of the database at ${database.address}` : `the index at ${indexDir}`;
    const where = values.docs ? `the index built from ${resolve(values.docs)}` : stored;
    const source = values.docs || database ? null : await indexSourceFolder(indexDir);
    checkDocuments(cases, await engine.sources(), where, source, note);
    modeName = mode ?? config.ANSWER_MODE;
    target = inProcessTarget(engine, { mode, k });
  }

  try {
    const outcomes = await runAll(cases, target);
    const scored = outcomes.map(scoreCase);
    const metrics = aggregate(cases, scored);
    const checks = [...checkThresholds(metrics, thresholds), ...(baseline ? checkBaseline(metrics, baseline, maxDrop) : [])];
    const createdAt = new Date().toISOString();
    let calibration: CalibrationReport | undefined;
    let calibrationFailure: unknown;
    if (values.calibrate) {
      try {
        const { rows, grouping } = calibrationRows(basename(values.cases), cases, scored);
        calibration = { file: values.calibrate, foldsBy: grouping, ...fitCorpusCalibration(rows, { targetPrecision }) };
      } catch (error) {
        // The eval's own report is still printed and written; the command then fails with why.
        if (!CalibrationError.isInstance(error)) throw error;
        calibrationFailure = error;
      }
    }
    const report: EvalReport = {
      createdAt,
      cases: values.cases,
      mode: modeName,
      collection: values.collection,
      metrics,
      reliability: shownReliability(scored),
      calibration,
      baseline,
      checks,
      passed: checks.every((c) => c.passed),
      notes,
      results: scored.map((result, i) => ({
        ...result,
        question: cases[i].question,
        answer: outcomes[i].answer.answer,
        answerable: outcomes[i].answer.answerable,
        reason: outcomes[i].answer.reason,
        citations: outcomes[i].answer.citations,
        expectedUnanswerable: cases[i].unanswerable,
        failures: caseFailures(cases[i], result),
      })),
    };
    console.log(terminalReport(report));
    await writeIf(values.json, `${JSON.stringify(report, null, 2)}\n`);
    await writeIf(values.junit, junitReport(report));
    await writeIf(values.markdown, markdownReport(report));
    await writeIf(values.html, htmlReport(report));
    await writeIf(
      values['dump-retrieval'],
      outcomes
        .map((o) =>
          JSON.stringify({
            id: o.testCase.id,
            retrieved: o.retrieved.map(({ text, docId, start, end, score, path, page, headingPath }) => ({
              text,
              docId,
              start,
              end,
              score,
              path,
              page,
              headingPath,
            })),
          }),
        )
        .join('\n') + '\n',
    );
    if (calibration) await writeIf(calibration.file, `${JSON.stringify(calibrationFile(calibration, values.cases, createdAt), null, 2)}\n`);
    if (calibrationFailure) throw calibrationFailure;
    return report.passed ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await cleanup();
  }
}

/**
 * Before any case runs: when the cases name documents the index does not hold, says so and how to
 * fix it; when it holds none of them, stops (the cases were written for another index).
 */
function checkDocuments(
  cases: EvalCase[],
  held: { docId: string; path: string }[],
  where: string,
  sourceFolder: string | null,
  note: (line: string) => void,
): void {
  const found = missingDocuments(cases, held);
  if (found.missing.length === 0) return;
  const message = describeMissingDocuments(found, where, sourceFolder);
  if (!found.anyHeld) throw new WrongIndexError(message);
  note(message);
}

/** The documents a running server holds (GET /v1/sources); null when it cannot list them (the answers will say why). */
async function serverDocuments(
  url: string,
  apiKey: string | undefined,
  collection: string | undefined,
): Promise<{ docId: string; path: string }[] | null> {
  try {
    const query = collection ? `?collection=${encodeURIComponent(collection)}` : '';
    const response = await fetch(`${url}/v1/sources${query}`, { headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {} });
    if (!response.ok) return null;
    const body = (await response.json()) as { sources?: { docId: string; path: string }[] };
    return body.sources ?? null;
  } catch {
    return null;
  }
}

async function runAll(cases: Awaited<ReturnType<typeof loadCases>>, target: EvalTarget): Promise<CaseOutcome[]> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'Evaluating {bar} {value}/{total} cases', clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(cases.length, 0);
  const outcomes: CaseOutcome[] = [];
  try {
    for (const testCase of cases) {
      outcomes.push({ testCase, ...(await target.run(testCase)) });
      bar?.increment();
    }
  } finally {
    bar?.stop();
  }
  return outcomes;
}

async function readBaseline(file: string): Promise<Partial<Metrics>> {
  try {
    const report = JSON.parse(await readFile(file, 'utf8')) as { metrics?: Partial<Metrics> };
    if (!report.metrics || typeof report.metrics !== 'object') throw new Error('it has no "metrics" object');
    // Only numbers are compared and charted: an older report lacks newer metrics, which stay unset.
    return Object.fromEntries(
      METRIC_KEYS.flatMap((key) => (typeof report.metrics![key] === 'number' ? [[key, report.metrics![key]]] : [])),
    );
  } catch (error) {
    throw new CaseFileError(`Cannot use ${file} as a baseline: ${(error as Error).message}. Give a report written by --json.`);
  }
}

async function writeIf(file: string | undefined, content: string): Promise<void> {
  if (!file) return;
  await mkdir(dirname(resolve(file)), { recursive: true });
  await writeFile(file, content);
}

runCli({ name: 'Evaluation', usage: USAGE, main });

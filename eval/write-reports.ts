import junitReportBuilderModule, { type Builder } from 'junit-report-builder';
import { describePlace } from '../core/chunks/describe-place.js';
import type { Citation } from '../core/contracts/types.js';
import { format, type Check } from './check-thresholds.js';
import type { EvalCase } from './load-cases.js';
import { calibrationLines, type CalibrationReport } from './calibration/calibration-report.js';
import { METRIC_KEYS, type CaseMetrics, type Metrics } from './metrics.js';
import { HIGH_CONFIDENCE, type Reliability } from './reliability.js';

// The package is CommonJS whose types declare an ES default export; at run time the default
// import is the builder itself, which is what this cast tells TypeScript.
const junitReportBuilder = junitReportBuilderModule as unknown as Builder;

/** One case in the report: its metrics, what was asked and answered, and what went wrong. */
export type CaseResult = CaseMetrics & {
  question: string;
  answer: string;
  answerable: boolean;
  /** Why the answer was refused, when it was. */
  reason: string | null;
  citations: Citation[];
  expectedUnanswerable: boolean;
  failures: string[];
};

/** The JSON report: overall metrics, each case, each check. */
export interface EvalReport {
  createdAt: string;
  cases: string;
  mode: string;
  /** The collection evaluated, when one was named (--collection). */
  collection?: string;
  metrics: Metrics;
  /** How far the confidence of the answers shown can be trusted (10 bins); null when none carries one. */
  reliability: Reliability | null;
  /** With --calibrate: the calibration fitted on these cases, and how it measured against the run's own. */
  calibration?: CalibrationReport;
  /** The --baseline report's metrics, when one was given. */
  baseline: Partial<Metrics> | null;
  checks: Check[];
  passed: boolean;
  /** Things a reader should know that are not failures (e.g. ignored unknown case fields). */
  notes: string[];
  results: CaseResult[];
}

/** What went wrong for one case, in words; empty when nothing did. */
export function caseFailures(testCase: EvalCase, metrics: CaseMetrics): string[] {
  const failures: string[] = [];
  if (testCase.unanswerable && !metrics.refused) failures.push('answered a question the sources do not answer');
  if (!testCase.unanswerable && metrics.refused) failures.push('refused a question the sources answer');
  if (!testCase.unanswerable && !metrics.refused && metrics.missingFacts.length > 0)
    failures.push(`missing facts: ${metrics.missingFacts.join('; ')}`);
  if (metrics.citationValidity !== null && metrics.citationValidity < 1)
    failures.push('a citation was dropped as unverifiable or does not match the stored text at its offsets');
  return failures;
}

/** A plain table for the terminal. */
export function terminalReport(report: EvalReport): string {
  const collection = report.collection ? `, collection ${report.collection}` : '';
  const lines = [`Evaluation of ${report.cases} (${report.results.length} cases, ${report.mode} mode${collection})`, ''];
  const width = Math.max(...METRIC_KEYS.map((k) => k.length));
  for (const key of METRIC_KEYS) lines.push(`  ${key.padEnd(width)}  ${format(report.metrics[key])}`);
  if (report.reliability) lines.push('', reliabilitySummary(report.reliability));
  if (report.calibration) lines.push('', ...calibrationLines(report.calibration));
  const failedCases = report.results.filter((r) => r.failures.length > 0);
  if (failedCases.length > 0) {
    lines.push('', 'Cases with problems:');
    for (const result of failedCases) lines.push(`  ${result.id}: ${result.failures.join('; ')}${citedPlaces(result)}`);
  }
  if (report.checks.length > 0) {
    lines.push('', 'Checks:');
    for (const check of report.checks) lines.push(`  ${check.passed ? 'ok    ' : 'FAILED'} ${check.message.replace(/^FAILED /, '')}`);
  }
  lines.push('', report.passed ? 'Evaluation passed.' : 'Evaluation FAILED.');
  return lines.join('\n');
}

/** JUnit XML: a testcase per eval case and per check, with a failure message per problem. */
export function junitReport(report: EvalReport): string {
  const builder = junitReportBuilder.newBuilder();
  const suite = builder.testSuite().name(`verbatim eval: ${report.cases}`);
  for (const result of report.results) {
    const testCase = suite
      .testCase()
      .className('eval.cases')
      .name(`${result.id}: ${result.question}`)
      .time(result.latencyMs / 1000);
    if (result.failures.length > 0) testCase.failure(result.failures.join('\n'));
  }
  const checks = builder.testSuite().name('verbatim eval: thresholds');
  for (const check of report.checks) {
    const testCase = checks.testCase().className('eval.checks').name(`${check.metric} ${check.kind}`);
    if (!check.passed) testCase.failure(check.message);
  }
  return builder.build();
}

/** A Markdown summary fit for a pull-request comment. */
export function markdownReport(report: EvalReport): string {
  const lines = [
    `### Verbatim eval: ${report.passed ? '✅ passed' : '❌ failed'}`,
    '',
    `${report.results.length} cases from \`${report.cases}\`, ${report.mode} mode${report.collection ? `, collection \`${report.collection}\`` : ''}.`,
    ...report.notes.map((note) => `\nNote: ${note}.`),
    '',
    report.baseline ? '| metric | value | baseline | check |' : '| metric | value | check |',
    report.baseline ? '|---|---|---|---|' : '|---|---|---|',
  ];
  for (const key of METRIC_KEYS) {
    const checks = report.checks.filter((c) => c.metric === key);
    const verdict =
      checks.length === 0
        ? ''
        : checks.every((c) => c.passed)
          ? '✅'
          : `❌ ${checks
              .filter((c) => !c.passed)
              .map((c) => c.message.replace(/^FAILED /, ''))
              .join('; ')}`;
    const baseline = report.baseline ? ` ${format(report.baseline[key] ?? null)} |` : '';
    lines.push(`| ${key} | ${format(report.metrics[key])} |${baseline} ${verdict} |`);
  }
  if (report.reliability) {
    const { ece, overclaim, auroc, highShown, highPrecision } = report.reliability;
    lines.push(
      '',
      `**Confidence of the ${answersShown(report.reliability)} answers shown**`,
      '',
      `| ece | overclaim | AUROC | shown at ≥ ${HIGH_CONFIDENCE} | right among them |`,
      '|---|---|---|---|---|',
      `| ${format(ece)} | ${signed(overclaim)} | ${format(auroc)} | ${highShown} | ${format(highPrecision)} |`,
    );
  }
  if (report.calibration) lines.push('', ...calibrationLines(report.calibration, true));
  const failedCases = report.results.filter((r) => r.failures.length > 0);
  if (failedCases.length > 0) {
    lines.push('', '<details><summary>Cases with problems</summary>', '');
    for (const result of failedCases) lines.push(`- **${result.id}**: ${result.failures.join('; ')}${citedPlaces(result)}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One line on how far the confidence of the answers shown can be trusted: its calibration error,
 * how much it overclaims, how well it ranks right answers above wrong ones, and how often an answer
 * shown with high confidence is right.
 */
export function reliabilitySummary(reliability: Reliability): string {
  const { ece, overclaim, auroc, highShown, highPrecision } = reliability;
  const high = highShown === 0 ? 'none' : `${highShown}, ${format(highPrecision)} of them right`;
  return `Confidence of the ${answersShown(reliability)} answers shown: ece ${format(ece)}, overclaim ${signed(overclaim)}, AUROC ${format(auroc)}; shown at ≥ ${HIGH_CONFIDENCE}: ${high}`;
}

function answersShown(reliability: Reliability): number {
  return reliability.bins.reduce((sum, bin) => sum + bin.count, 0);
}

/** A mean gap with its sign: + overclaims, − underclaims. */
function signed(value: number | null): string {
  return value === null || value <= 0 ? format(value) : `+${format(value)}`;
}

/** Where a case's answer quoted from (` (cited: express/README.md › Options)`), so a reader can look; empty without citations. */
function citedPlaces(result: CaseResult): string {
  const places = [...new Set(result.citations.map(describePlace))];
  return places.length === 0 ? '' : ` (cited: ${places.join('; ')})`;
}

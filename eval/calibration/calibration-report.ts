import type { CorpusCalibration } from '../../core/evidence/confidence-calibration.js';
import type { FoldGrouping } from './calibration-rows.js';
import { MIN_EACH, type CalibrationFigures, type CalibrationSummary } from './fit-corpus-calibration.js';

/** The eval report's `calibration` section: what `--calibrate` fitted, where it wrote it, and how it measured. */
export interface CalibrationReport extends CalibrationSummary {
  /** The calibration file written (CONFIDENCE_CALIBRATION takes it). */
  file: string;
  foldsBy: FoldGrouping;
}

/** The calibration file: the map and threshold parseCalibration reads, and in `about` what it was fitted on and how it measured. */
export function calibrationFile(report: CalibrationReport, casesFile: string, createdAt: string): CorpusCalibration {
  return {
    about: {
      fittedBy: 'npm run eval -- --calibrate',
      createdAt,
      set: casesFile,
      judgedCases: report.judged,
      right: report.right,
      folds: report.folds,
      foldsBy: report.foldsBy,
      threshold: thresholdRule(report),
      ...(report.flat ? { flat: FLAT } : {}),
      ...(report.shift !== undefined ? { levelOnly: LEVEL_ONLY } : {}),
      measured: `before: the confidence and refusals of the run (the shipped calibration unless CONFIDENCE_CALIBRATION was set); after: each fold calibrated by a ${report.shift !== undefined ? 'shift' : 'map'} fitted on the other folds; ece, overclaim and auroc over every case the model judged, against whether its answer or held-back candidate was right`,
      before: report.before,
      after: report.after,
    },
    ...(report.map ? { map: report.map } : { shift: report.shift }),
    minConfidence: report.minConfidence,
  };
}

/** The calibration as the terminal report and the Markdown summary show it. */
export function calibrationLines(report: CalibrationReport, markdown = false): string[] {
  const fitted = `fitted on ${report.judged} cases the model judged (${report.right} right), measured on ${report.folds} held-out folds by ${report.foldsBy}`;
  const rule = `confidence = ${formula(report)}; answers at confidence ${report.minConfidence} or more (${thresholdRule(report)})`;
  const notes = [...(report.flat ? [FLAT] : []), ...(report.shift !== undefined ? [LEVEL_ONLY] : [])];
  const head = ['', 'ece', 'overclaim', 'auroc', 'at ≥ 0.8 (right)', 'answered (right)', 'correct_rate'];
  const rows = [
    ['before (as run)', ...cells(report.before)],
    ['after (calibrated, held out)', ...cells(report.after)],
  ];
  if (markdown) {
    return [
      `Calibration written to \`${report.file}\`: ${fitted}; ${rule}.${notes.map((note) => ` ${note[0].toUpperCase()}${note.slice(1)}.`).join('')}`,
      '',
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ];
  }
  const widths = head.map((_, column) => Math.max(...[head, ...rows].map((row) => row[column].length)));
  const line = (row: string[]) =>
    `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join('  ')}`;
  return [
    `Calibration written to ${report.file}:`,
    `  ${fitted}`,
    `  ${rule}`,
    ...notes.map((note) => `  ${note}`),
    line(head),
    ...rows.map(line),
  ];
}

/** The calibration's rule: a map of the answer odds, or a shift of the model's own confidence. */
function formula(report: CalibrationReport): string {
  const signed = (value: number) => `${value >= 0 ? '+' : '−'} ${Math.abs(value).toFixed(3)}`;
  if (report.map) return `sigmoid(${report.map.slope.toFixed(3)}·logit(odds) ${signed(report.map.intercept)})`;
  return `sigmoid(logit(model's confidence) ${signed(report.shift ?? 0)})`;
}

const LEVEL_ONLY = `fewer than ${MIN_EACH} of the judged answers are right, or fewer are wrong: too few to learn how the confidence should vary, so the model's own confidence keeps its ranking and is moved to the share right`;

const FLAT =
  'the answer odds do not rank right answers above wrong ones on these cases: every answer the model judges gets the share of them right as its confidence';

function thresholdRule(report: CalibrationReport): string {
  return report.targetPrecision === null
    ? 'the threshold handling most cases right on held-out folds'
    : `the lowest threshold at which the answers shown were at least ${report.targetPrecision} right on held-out folds`;
}

function cells(figures: CalibrationFigures): string[] {
  const fixed = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
  const signed = (value: number | null) => (value === null ? 'n/a' : `${value > 0 ? '+' : ''}${value.toFixed(3)}`);
  const share = (count: number, precision: number | null) => `${count} (${precision === null ? 'n/a' : precision.toFixed(2)})`;
  return [
    fixed(figures.ece),
    signed(figures.overclaim),
    fixed(figures.auroc),
    share(figures.highShown, figures.highPrecision),
    share(figures.answered, figures.answeredPrecision),
    fixed(figures.correctRate),
  ];
}

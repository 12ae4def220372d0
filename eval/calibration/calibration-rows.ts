import type { TrainingRow } from '../answerability/collect-rows.js';
import type { EvalCase } from '../load-cases.js';
import type { CaseMetrics } from '../metrics.js';

/**
 * One eval case as calibration sees it: as a training row (its fold group, whether it was right,
 * answerable, refused by rule), with the model's answer odds and what the run gave it. `label` is
 * whether the answer, or on a refusal the candidate held back, was right (what `confidence` estimates);
 * `ruledOut` also covers a case with nothing measured to judge (no answer odds).
 */
export type CalibrationRow = Pick<TrainingRow, 'set' | 'group' | 'id' | 'label' | 'unanswerable' | 'ruledOut'> & {
  /** The answerability model's answer odds (0 when ruled out). */
  odds: number;
  /** The model's own confidence for them, before a team's calibration (0 when ruled out). */
  modelConfidence: number;
  /** The confidence the run gave it, and whether the run answered. */
  confidence: number;
  answered: boolean;
};

/** How the rows were grouped into folds: by the document each case names, or (fewer than two named) by gold passage. */
export type FoldGrouping = 'document' | 'gold passage';

/**
 * The rows of an eval run that calibration can learn from: every case whose answer can be judged
 * right or wrong, grouped by the document it names (`doc`); when the cases name fewer than two
 * documents, by their gold passage (first context), a case with neither being a group of its own.
 */
export function calibrationRows(
  set: string,
  cases: EvalCase[],
  results: CaseMetrics[],
): { rows: CalibrationRow[]; grouping: FoldGrouping } {
  const byDocument = new Set(cases.map((testCase) => testCase.doc).filter(Boolean)).size >= 2;
  const groupOf = (testCase: EvalCase) =>
    byDocument && testCase.doc ? `document:${testCase.doc}` : `passage:${testCase.contexts[0] ?? `case ${testCase.id}`}`;
  const rows = results.flatMap((result, i): CalibrationRow[] =>
    result.candidateRight === null
      ? []
      : [
          {
            set,
            group: groupOf(cases[i]),
            id: result.id,
            label: result.candidateRight ? 1 : 0,
            unanswerable: cases[i].unanswerable,
            ruledOut: result.answerOdds === null,
            odds: result.answerOdds ?? 0,
            modelConfidence: result.modelConfidence ?? 0,
            confidence: result.confidence ?? 0,
            answered: !result.refused,
          },
        ],
  );
  return { rows, grouping: byDocument ? 'document' : 'gold passage' };
}

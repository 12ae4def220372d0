import { collectAnswer } from '../../core/answer/answer-question.js';
import type { Engine } from '../../core/engine.js';
import { EVIDENCE_FEATURES } from '../../core/evidence/answer-evidence.js';
import type { EvidenceObservation } from '../../core/contracts/types.js';
import type { EvalCase } from '../load-cases.js';
import { normalizeForMatch, passageHitsContext } from '../text-match.js';
import { FOLDS } from './cross-validate.js';

/** One training example: the evidence measured for a case, and whether the answer was right. */
export interface TrainingRow {
  set: string;
  /** Cases of one document share a group, so folds never split a document. */
  group: string;
  id: string;
  /** 1 when the case is answerable and the answer holds every fact (or cites a gold context). */
  label: 0 | 1;
  unanswerable: boolean;
  /** Refused by rule whatever the model says (no candidate holds the asked-for kind of fact). */
  ruledOut: boolean;
  features: number[];
}

/**
 * Runs every case through the answer pipeline (the one the server uses) and records the
 * evidence it measured with the label the eval would give its answer.
 */
export async function collectRows(set: string, cases: EvalCase[], engine: Engine): Promise<TrainingRow[]> {
  const rows: TrainingRow[] = [];
  const documents = new Set(cases.map((testCase) => testCase.doc ?? null).filter(Boolean));
  for (const testCase of cases) {
    let observation: EvidenceObservation | null = null;
    await collectAnswer(
      engine.answer({
        question: testCase.question,
        history: testCase.history,
        mode: 'extractive',
        onEvidence: (o) => (observation = o),
      }),
    );
    const seen = observation as EvidenceObservation | null;
    if (!seen?.features) continue;
    rows.push({
      set,
      group: `${set}:${groupOf(testCase, documents.size)}`,
      id: testCase.id,
      label: !testCase.unanswerable && isRight(testCase, seen) ? 1 : 0,
      unanswerable: testCase.unanswerable,
      ruledOut: seen.ruledOut,
      features: EVIDENCE_FEATURES.map((name) => round(seen.features![name])),
    });
  }
  return rows;
}

/** The eval's notion of a right answer: every must-include fact, or else a gold context retrieved. */
function isRight(testCase: EvalCase, observation: EvidenceObservation): boolean {
  if (testCase.must_include.length > 0) {
    const answer = normalizeForMatch(observation.answer);
    return testCase.must_include.every((item) =>
      (Array.isArray(item) ? item : [item]).some((option) => answer.includes(normalizeForMatch(option))),
    );
  }
  return observation.passages.some((passage) => testCase.contexts.some((context) => passageHitsContext(passage.text, context)));
}

/**
 * The fold group of a case: its document (the top folder of a nested one). A set of fewer
 * documents than folds (one paper, one article) cannot be split by document, so its cases are
 * grouped by the passage they ask about (their first gold context). Unanswerable cases without
 * a document spread over 5 groups.
 */
function groupOf(testCase: EvalCase, documents: number): string {
  const splitByDocument = documents >= FOLDS;
  if (testCase.doc && splitByDocument) return testCase.doc.split('/')[0];
  const key = !splitByDocument && testCase.contexts[0] ? testCase.contexts[0] : testCase.id;
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return splitByDocument || !testCase.contexts[0] ? `no-document-${hash % FOLDS}` : `${testCase.doc ?? 'section'}#${hash.toString(36)}`;
}

/** Features are stored rounded, so the committed rows file is stable and diff-friendly. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

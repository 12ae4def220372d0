import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../load-cases.js';
import type { CaseMetrics } from '../metrics.js';
import { calibrationRows } from './calibration-rows.js';

function evalCase(id: string, overrides: Partial<EvalCase> = {}): EvalCase {
  return { id, question: `${id}?`, must_include: ['x'], contexts: [], unanswerable: false, ...overrides };
}

function result(id: string, overrides: Partial<CaseMetrics> = {}): CaseMetrics {
  return {
    id,
    hitRank: null,
    factRecall: 1,
    missingFacts: [],
    answerF1: null,
    citationValidity: 1,
    citationPrecision: null,
    refused: false,
    correct: true,
    confidence: 0.4,
    candidateRight: true,
    answerOdds: 0.8,
    modelConfidence: 0.4,
    answerChars: 10,
    latencyMs: 1,
    ...overrides,
  };
}

describe('calibrationRows', () => {
  it('keeps every case that can be judged, labelled by whether its answer or held-back candidate was right', () => {
    const cases = [
      evalCase('right', { doc: 'a.md' }),
      evalCase('held-back', { doc: 'a.md' }),
      evalCase('by-rule', { doc: 'b.md', unanswerable: true }),
      evalCase('no-facts', { doc: 'b.md', must_include: [] }),
    ];
    const { rows, grouping } = calibrationRows('set', cases, [
      result('right'),
      result('held-back', { refused: true, candidateRight: false, confidence: 0.2, answerOdds: 0.3, modelConfidence: 0.25 }),
      result('by-rule', { refused: true, candidateRight: false, confidence: 0, answerOdds: null, modelConfidence: null }),
      result('no-facts', { candidateRight: null, correct: null }),
    ]);
    expect(grouping).toBe('document');
    expect(rows).toEqual([
      {
        set: 'set',
        group: 'document:a.md',
        id: 'right',
        label: 1,
        unanswerable: false,
        ruledOut: false,
        odds: 0.8,
        modelConfidence: 0.4,
        confidence: 0.4,
        answered: true,
      },
      {
        set: 'set',
        group: 'document:a.md',
        id: 'held-back',
        label: 0,
        unanswerable: false,
        ruledOut: false,
        odds: 0.3,
        modelConfidence: 0.25,
        confidence: 0.2,
        answered: false,
      },
      {
        set: 'set',
        group: 'document:b.md',
        id: 'by-rule',
        label: 0,
        unanswerable: true,
        ruledOut: true,
        odds: 0,
        modelConfidence: 0,
        confidence: 0,
        answered: false,
      },
    ]);
  });

  it('groups by gold passage when the cases name fewer than two documents, so a passage is never split over folds', () => {
    const cases = [
      evalCase('p1', { doc: 'only.md', contexts: ['The harbour has 120 moorings.'] }),
      evalCase('p2', { doc: 'only.md', contexts: ['The harbour has 120 moorings.'] }),
      evalCase('lone'),
    ];
    const { rows, grouping } = calibrationRows('set', cases, [result('p1'), result('p2'), result('lone')]);
    expect(grouping).toBe('gold passage');
    expect(rows.map((row) => row.group)).toEqual([
      'passage:The harbour has 120 moorings.',
      'passage:The harbour has 120 moorings.',
      'passage:case lone',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Answer, Citation, Passage } from '../core/contracts/types.js';
import type { EvalCase } from './load-cases.js';
import { aggregate, expectedCalibrationError, percentile, scoreCase, tokenF1, type CaseOutcome } from './metrics.js';
import { passageHitsContext, shareInside } from './text-match.js';

const CONTEXT = 'the alliance targets robotics, autonomous vehicles and wellness technology';

function evalCase(overrides: Partial<EvalCase>): EvalCase {
  return { id: 'c', question: 'q?', must_include: [], contexts: [], unanswerable: false, ...overrides };
}
function passage(text: string): Passage {
  return {
    chunkId: 'd#0',
    docId: 'd',
    title: 'd',
    start: 0,
    end: text.length,
    score: 1,
    text,
    path: 'd',
    url: null,
    page: null,
    headingPath: [],
  };
}
function citation(quote: string): Citation {
  return {
    n: 1,
    docId: 'd',
    title: 'd',
    chunkId: 'd#0',
    start: 0,
    end: quote.length,
    quote,
    verified: true,
    link: null,
    path: 'd',
    url: null,
    page: null,
    headingPath: [],
  };
}
function outcome(testCase: EvalCase, answer: Partial<Answer>, retrieved: string[] = [], checks?: boolean[], latencyMs = 10): CaseOutcome {
  const full = { answer: '', answerable: true, citations: [], passages: [], ...answer } as Answer;
  return { testCase, answer: full, retrieved: retrieved.map(passage), citationChecks: checks ?? full.citations.map(() => true), latencyMs };
}

describe('passage hits', () => {
  it('counts containment, half the context inside, and a passage cut from the context', () => {
    expect(passageHitsContext(`Intro. The Alliance targets robotics, autonomous vehicles and wellness technology. End.`, CONTEXT)).toBe(
      true,
    );
    expect(passageHitsContext('the alliance targets robotics, autonomous vehicles and more', CONTEXT)).toBe(true);
    expect(passageHitsContext('autonomous vehicles and wellness', `${CONTEXT} and far more words here that the passage lacks`)).toBe(true);
    expect(passageHitsContext('robotics vehicles wellness alliance', CONTEXT)).toBe(false);
  });

  it('compares words in order, so shared vocabulary alone is not a hit', () => {
    expect(shareInside('technology wellness and vehicles autonomous', CONTEXT)).toBe(0);
  });

  it('ignores curly quotes and whitespace differences', () => {
    expect(passageHitsContext('It’s  a “national\ngambit”', '"it\'s a national gambit"')).toBe(true);
  });
});

describe('scoreCase and aggregate', () => {
  const answerable = evalCase({
    id: 'a',
    must_include: ['robotics', ['wellness', 'health']],
    contexts: [CONTEXT],
    answer: 'robotics and wellness',
  });
  const missing = evalCase({ id: 'b', must_include: ['drones'], contexts: [CONTEXT] });
  const unanswerable = evalCase({ id: 'u', unanswerable: true });

  it('scores a case: hit rank, fact recall, F1, citation validity and precision', () => {
    const result = scoreCase(
      outcome(
        answerable,
        { answer: 'It targets Robotics and wellness [1].', citations: [citation(CONTEXT), citation('unrelated words entirely')] },
        ['nothing here', CONTEXT],
        [true, false],
      ),
    );
    expect(result).toMatchObject({
      hitRank: 2,
      factRecall: 1,
      missingFacts: [],
      citationValidity: 0.5,
      citationPrecision: 0.5,
      refused: false,
    });
    expect(result.answerF1).toBeCloseTo(tokenF1('It targets Robotics and wellness', 'robotics and wellness'));
  });

  it('counts the citations the pipeline dropped against citation validity', () => {
    const kept = [citation(CONTEXT)];
    expect(scoreCase(outcome(answerable, { answer: 'x [1]', citations: kept, droppedCitations: 1 }, [], [true])).citationValidity).toBe(
      0.5,
    );
    expect(scoreCase(outcome(answerable, { answer: 'x', citations: [], droppedCitations: 2 }, [], [])).citationValidity).toBe(0);
    expect(scoreCase(outcome(answerable, { answer: 'x', citations: [], droppedCitations: 0 }, [], [])).citationValidity).toBeNull();
  });

  it('aggregates means over supporting cases and refusal precision and recall', () => {
    const outcomes = [
      outcome(answerable, { answer: 'robotics, wellness' }, [CONTEXT], undefined, 10),
      outcome(missing, { answer: 'no', answerable: false }, ['x', 'y', 'z', 'w', 'v', CONTEXT], undefined, 30),
      outcome(unanswerable, { answer: 'no', answerable: false }, [], undefined, 20),
    ];
    const metrics = aggregate(
      outcomes.map((o) => o.testCase),
      outcomes.map(scoreCase),
    );
    expect(metrics.hit_at_1).toBe(0.5);
    expect(metrics.hit_at_5).toBe(0.5);
    expect(metrics.mrr_at_10).toBeCloseTo((1 + 1 / 6) / 2);
    expect(metrics.fact_recall).toBe(0.5); // case b refused: its fact is missing
    expect(metrics.refusal_precision).toBe(0.5);
    expect(metrics.refusal_recall).toBe(1);
    expect(metrics.latency_p50_ms).toBe(20);
    expect(metrics.latency_p95_ms).toBe(30);
  });

  it('reports null, not 0 or 1, for metrics the cases cannot support', () => {
    const bare = evalCase({ id: 'n', question: 'q' });
    const outcomes = [outcome(bare, { answer: 'text' })];
    const metrics = aggregate([bare], outcomes.map(scoreCase));
    expect(metrics).toMatchObject({
      hit_at_1: null,
      hit_at_5: null,
      mrr_at_10: null,
      fact_recall: null,
      answer_f1: null,
      citation_validity: null,
      citation_precision: null,
      refusal_precision: null,
      refusal_recall: null,
    });
    expect(metrics.latency_p50_ms).toBe(10);
  });

  it('counts a case correct when an answerable one is answered with every fact and an unanswerable one is refused', () => {
    const contextsOnly = evalCase({ id: 'k', contexts: [CONTEXT] });
    const outcomes = [
      outcome(answerable, { answer: 'Robotics and wellness [1].' }), // right
      outcome(missing, { answer: 'Robotics [1].' }), // answered without its fact
      outcome(answerable, { answer: 'no', answerable: false }), // false refusal
      outcome(unanswerable, { answer: 'no', answerable: false }), // right refusal
      outcome(unanswerable, { answer: 'A guess [1].' }), // answered the unanswerable
      outcome(contextsOnly, { answer: 'Something [1].' }, ['x', CONTEXT]), // no facts listed: the gold context was retrieved
    ];
    const scored = outcomes.map(scoreCase);
    expect(scored.map((c) => c.correct)).toEqual([true, false, false, true, false, true]);
    const metrics = aggregate(
      outcomes.map((o) => o.testCase),
      scored,
    );
    expect(metrics.correct_rate).toBeCloseTo(3 / 6);
    expect(metrics.false_refusal_rate).toBeCloseTo(1 / 4);
  });

  it('leaves out of correct_rate an answerable case with neither facts nor contexts', () => {
    const bare = evalCase({ id: 'n' });
    const outcomes = [outcome(bare, { answer: 'text' }), outcome(unanswerable, { answer: 'no', answerable: false })];
    const scored = outcomes.map(scoreCase);
    expect(scored[0].correct).toBeNull();
    expect(
      aggregate(
        outcomes.map((o) => o.testCase),
        scored,
      ).correct_rate,
    ).toBe(1);
  });

  it('measures answer length without citation markers, over answered cases only', () => {
    const outcomes = [
      outcome(answerable, { answer: 'Robotics. [1] Wellness [2].' }), // "Robotics. Wellness." = 19 characters
      outcome(missing, { answer: 'Drones [1]' }), // 6
      outcome(unanswerable, { answer: 'The sources do not answer this.', answerable: false }),
    ];
    const scored = outcomes.map(scoreCase);
    expect(scored.map((c) => c.answerChars)).toEqual([19, 6, null]);
    expect(
      aggregate(
        outcomes.map((o) => o.testCase),
        scored,
      ).answer_chars_mean,
    ).toBe(12.5);
  });

  it('measures calibration of the confidence against the answer, or the held-back candidate, being right', () => {
    const outcomes = [
      outcome(answerable, { answer: 'Robotics and wellness [1].', confidence: 0.9 } as Partial<Answer>), // right at 0.9
      outcome(missing, { answer: 'Robotics [1].', confidence: 0.9 } as Partial<Answer>), // wrong at 0.9
      outcome(answerable, {
        answer: 'no',
        answerable: false,
        confidence: 0.2,
        candidate: { answer: 'robotics, wellness' },
      } as Partial<Answer>), // candidate right at 0.2
      outcome(unanswerable, { answer: 'no', answerable: false, confidence: 0.1, candidate: { answer: 'a guess' } } as Partial<Answer>), // wrong at 0.1
    ];
    const scored = outcomes.map(scoreCase);
    expect(scored.map((c) => c.candidateRight)).toEqual([true, false, true, false]);
    // Bins: 0.9 -> two cases, half right: |0.9 - 0.5| * 2/4; 0.2 -> right: |0.2 - 1| * 1/4; 0.1 -> wrong: |0.1 - 0| * 1/4.
    expect(
      aggregate(
        outcomes.map((o) => o.testCase),
        scored,
      ).calibration_error,
    ).toBeCloseTo(0.4 * 0.5 + 0.8 * 0.25 + 0.1 * 0.25);
  });

  it('reports no calibration error when answers carry no confidence', () => {
    const outcomes = [outcome(answerable, { answer: 'robotics and wellness' })];
    expect(aggregate([answerable], outcomes.map(scoreCase)).calibration_error).toBeNull();
  });

  it('computes expected calibration error over ten bins', () => {
    expect(expectedCalibrationError([1, 1, 0, 0], [true, true, false, false])).toBe(0);
    expect(expectedCalibrationError([0.55, 0.55], [true, false])).toBeCloseTo(0.05);
    expect(expectedCalibrationError([0.95, 0.15], [false, true])).toBeCloseTo((0.95 + 0.85) / 2);
  });

  it('computes token F1 and nearest-rank percentiles', () => {
    expect(tokenF1('the cat sat', 'the cat sat')).toBe(1);
    expect(tokenF1('cat', 'dog')).toBe(0);
    expect(tokenF1('a b c d', 'a b')).toBeCloseTo(2 / 3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([], 0.5)).toBeNull();
  });
});

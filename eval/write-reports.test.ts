import { describe, expect, it } from 'vitest';
import type { Citation } from '../core/contracts/types.js';
import { METRIC_KEYS, type Metrics } from './metrics.js';
import { shownReliability } from './shown-reliability.js';
import { htmlReport } from './write-html-report.js';
import { markdownReport, terminalReport, type CaseResult, type EvalReport } from './write-reports.js';

const citation: Citation = {
  n: 1,
  docId: 'pino/api.md',
  title: 'API (pino)',
  chunkId: 'pino/api.md#4',
  start: 100,
  end: 140,
  quote: 'The default level is info.',
  verified: true,
  link: null,
  path: 'pino/api.md',
  url: null,
  page: null,
  headingPath: ['API', 'options', 'level'],
};

const failed: CaseResult = {
  id: 'c1',
  hitRank: 1,
  factRecall: 0,
  missingFacts: ['debug'],
  answerF1: 0,
  citationValidity: 1,
  citationPrecision: 1,
  refused: false,
  correct: false,
  confidence: 0.8,
  candidateRight: false,
  answerOdds: 0.9,
  modelConfidence: 0.8,
  answerChars: 26,
  latencyMs: 3,
  question: 'What is the default level?',
  answer: 'The default level is info. [1]',
  answerable: true,
  reason: null,
  citations: [citation],
  expectedUnanswerable: false,
  failures: ['missing facts: debug'],
};

const report: EvalReport = {
  createdAt: '2026-01-01T00:00:00.000Z',
  cases: 'cases.jsonl',
  mode: 'extractive',
  metrics: Object.fromEntries(METRIC_KEYS.map((key) => [key, null])) as Metrics,
  reliability: null,
  baseline: null,
  checks: [],
  passed: true,
  notes: [],
  results: [failed],
};

describe('eval reports', () => {
  it('say where a failed case quoted from: path and headings', () => {
    expect(terminalReport(report)).toContain('c1: missing facts: debug (cited: pino/api.md › API › options › level)');
    expect(markdownReport(report)).toContain('- **c1**: missing facts: debug (cited: pino/api.md › API › options › level)');
  });

  // Four answers shown (two at 0.9, one right; two at 0.35, both right) and a refusal, whose confidence is not shown.
  const shown = [
    { ...failed, id: 'a', confidence: 0.9, candidateRight: true },
    { ...failed, id: 'b', confidence: 0.9, candidateRight: false },
    { ...failed, id: 'c', confidence: 0.35, candidateRight: true },
    { ...failed, id: 'd', confidence: 0.35, candidateRight: true },
    { ...failed, id: 'e', refused: true, confidence: 0.1, candidateRight: true },
  ];
  const withReliability: EvalReport = { ...report, results: shown, reliability: shownReliability(shown) };

  it('measure the reliability of the confidence over the answers shown, refusals left out', () => {
    expect(withReliability.reliability).toMatchObject({ ece: 0.525, overclaim: -0.125, highShown: 2, highPrecision: 0.5 });
    // One right answer of three ties with the wrong one, two rank below it.
    expect(withReliability.reliability!.auroc).toBeCloseTo(1 / 6);
    expect(shownReliability([shown[4]])).toBeNull();
  });

  it('give ece, overclaim, AUROC and high-confidence precision in the terminal and in Markdown', () => {
    expect(terminalReport(withReliability)).toContain(
      'Confidence of the 4 answers shown: ece 0.525, overclaim -0.125, AUROC 0.167; shown at ≥ 0.8: 2, 0.500 of them right',
    );
    expect(markdownReport(withReliability)).toContain(
      '**Confidence of the 4 answers shown**\n\n| ece | overclaim | AUROC | shown at ≥ 0.8 | right among them |\n|---|---|---|---|---|\n| 0.525 | -0.125 | 0.167 | 2 | 0.500 |',
    );
    expect(terminalReport(report)).not.toContain('Confidence of');
  });

  it('draw the reliability diagram in the HTML report, only when answers carry a confidence', () => {
    const html = htmlReport(withReliability);
    expect(html).toContain('<h2>Confidence</h2>');
    expect(html.match(/<svg class="reliability"/g)).toHaveLength(1);
    expect(html.match(/<g class="bin/g)).toHaveLength(2);
    expect(htmlReport(report)).not.toContain('<svg class="reliability"');
  });
});

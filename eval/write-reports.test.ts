import { describe, expect, it } from 'vitest';
import type { Citation } from '../core/contracts/types.js';
import { METRIC_KEYS, type Metrics } from './metrics.js';
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
});

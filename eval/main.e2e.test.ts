import { spawn, spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../core/engine.js';
import { createApp } from '../server/create-app.js';
import { hashingEmbedder } from '../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../test/fakes/in-memory-passage-store.js';
import { buildLocalIndex, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { ROOT, TEST_WORD_VECTORS } from '../test/paths.js';

const dir = temporaryDir();
const docs = join(dir, 'docs');
const casesFile = join(dir, 'cases.jsonl');

function runEval(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'eval/main.ts'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENV_FILE: 'none',
      WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
      NO_COLOR: '1',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** As runEval, without blocking this process (which may be serving the evaluated app). */
function runEvalAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'eval/main.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ENV_FILE: 'none', WORD_VECTORS_CACHE: TEST_WORD_VECTORS, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

beforeAll(() => {
  spawnSync('mkdir', ['-p', docs]);
  writeFileSync(
    join(docs, 'harbour.txt'),
    'High tide at Port Elin arrives at 06:40 on weekdays. The harbour has 120 moorings.\n\nThe lighthouse keeper is Mara Quinn.',
  );
  writeFileSync(
    casesFile,
    [
      {
        id: 'h1',
        question: 'How many moorings does the harbour have?',
        answer: '120',
        must_include: ['120'],
        contexts: ['The harbour has 120 moorings.'],
      },
      {
        id: 'h2',
        question: 'Who is the lighthouse keeper?',
        answer: 'Mara Quinn',
        must_include: ['Mara Quinn'],
        contexts: ['The lighthouse keeper is Mara Quinn.'],
      },
      { id: 'h3', question: 'What is the capital of Peru?', unanswerable: true },
    ]
      .map((c) => JSON.stringify(c))
      .join('\n'),
  );
});

describe('npm run eval', () => {
  it('builds a temporary index from --docs, passes its thresholds, and writes JSON, JUnit, Markdown and retrieval dumps', () => {
    const files = { json: join(dir, 'r.json'), junit: join(dir, 'r.xml'), markdown: join(dir, 'r.md'), dump: join(dir, 'd.jsonl') };
    const { code, out } = runEval(
      '--cases',
      casesFile,
      '--docs',
      docs,
      '--json',
      files.json,
      '--junit',
      files.junit,
      '--markdown',
      files.markdown,
      '--dump-retrieval',
      files.dump,
    );
    expect(out).toContain('Evaluation passed.');
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(report.metrics).toMatchObject({ fact_recall: 1, citation_validity: 1, refusal_recall: 1, refusal_precision: 1, hit_at_1: 1 });
    const xml = readFileSync(files.junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(parsed.testsuites.testsuite[0].testcase).toHaveLength(3);
    expect(readFileSync(files.markdown, 'utf8')).toMatch(/^### Verbatim eval: ✅ passed/);
    const dump = readFileSync(files.dump, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(dump.map((d) => d.id)).toEqual(['h1', 'h2', 'h3']);
    expect(dump[0].retrieved[0]).toEqual({
      text: expect.any(String),
      docId: 'harbour.txt',
      start: 0,
      end: expect.any(Number),
      score: expect.any(Number),
      path: 'harbour.txt',
      page: null,
      headingPath: [],
    });
  });

  it('exits 1 naming the metric, value and bound when a threshold fails, with a JUnit failure', () => {
    const thresholds = join(dir, 'strict.json');
    writeFileSync(thresholds, JSON.stringify({ answer_f1: { min: 0.99 } }));
    const junit = join(dir, 'fail.xml');
    const { code, out } = runEval('--cases', casesFile, '--docs', docs, '--thresholds', thresholds, '--junit', junit);
    expect(code).toBe(1);
    expect(out).toMatch(/FAILED answer_f1 = 0\.\d+, must be at least 0\.990/);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8'));
    expect(JSON.stringify(parsed.testsuites.testsuite[1].testcase.failure)).toMatch(/answer_f1 = 0\.\d+, must be at least 0\.990/);
  });

  it('exits 1 when a metric dropped from the baseline by more than --max-drop', () => {
    const baseline = join(dir, 'baseline.json');
    writeFileSync(baseline, JSON.stringify({ metrics: { fact_recall: 1, hit_at_1: 1, answer_f1: 1 } }));
    const { code, out } = runEval('--cases', casesFile, '--docs', docs, '--baseline', baseline, '--max-drop', '0.05');
    expect(code).toBe(1);
    expect(out).toMatch(/FAILED answer_f1 = 0\.\d+, baseline 1, allowed down to 0\.950/);
    expect(out).toMatch(/ok {5}fact_recall = 1, baseline 1/);
    const notReport = join(dir, 'not-a-report.json');
    writeFileSync(notReport, '{"cases": []}');
    const bad = runEval('--cases', casesFile, '--docs', docs, '--baseline', notReport);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('has no "metrics" object. Give a report written by --json.');
  });

  it('exits 2 naming the line and field of a malformed case', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ id: 'ok', question: 'q?' })}\n${JSON.stringify({ id: 'x', question: 7 })}\n`);
    const result = runEval('--cases', bad, '--docs', docs);
    expect(result.code).toBe(2);
    expect(result.err).toContain('bad.jsonl:2: field "question": must be a string');
    writeFileSync(bad, `{"id": "a", "question": "q?"}\n{not json\n`);
    expect(runEval('--cases', bad, '--docs', docs).err).toContain('bad.jsonl:2: not valid JSON');
    writeFileSync(bad, `{"id": "a", "question": "q?", "must_include": "x"}\n`);
    expect(runEval('--cases', bad, '--docs', docs).err).toContain('bad.jsonl:1: field "must_include": must be a list');
  });

  it('evaluates a running server with --url and --api-key, checking citations against its sources', async () => {
    const engine = localEngine(await buildLocalIndex(docs));
    const server = createApp({
      engine: engine,
      limits: { maxQuestionChars: 2000, maxHistoryTurns: 20 },
      apiKeys: ['eval-key'],
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = join(dir, 'url.json');
    try {
      const result = await runEvalAsync('--cases', casesFile, '--url', url, '--api-key', 'eval-key', '--json', json);
      expect(result.code).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      expect(report.metrics).toMatchObject({ fact_recall: 1, citation_validity: 1, refusal_recall: 1, hit_at_5: 1 });
      const denied = await runEvalAsync('--cases', casesFile, '--url', url, '--api-key', 'wrong');
      expect(denied.code).toBe(2);
      expect(denied.err).toMatch(/answered 401: The API key is not valid/);
    } finally {
      server.close();
    }
  });

  it('fails citation_validity and exits 1 when the pipeline has to drop a bad citation', async () => {
    const text = readFileSync(join(docs, 'harbour.txt'), 'utf8');
    const good = await InMemoryPassageStore.fromDocuments([{ docId: 'harbour.txt', title: 'harbour', text }]);
    // Injected fault: the stored text no longer holds the sentence the answer to h1 quotes.
    const store = good.withDocumentText('harbour.txt', text.replace('120 moorings', '130 moorings'));
    const engine = createEngine({ store, embedder: hashingEmbedder() });
    const server = createApp({ engine: engine, limits: { maxQuestionChars: 2000, maxHistoryTurns: 20 } }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const json = join(dir, 'bad-citation.json');
    try {
      const result = await runEvalAsync(
        '--cases',
        casesFile,
        '--url',
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        '--json',
        json,
      );
      expect(result.out).toMatch(/FAILED citation_validity = 0\.500, must be at least 1/);
      expect(result.code).toBe(1);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      expect(report.results.find((r: { id: string }) => r.id === 'h1')).toMatchObject({
        citationValidity: 0,
        failures: [expect.stringMatching(/dropped as unverifiable/)],
      });
    } finally {
      server.close();
    }
  });

  it('ignores fields it does not know, with one note naming them and how many cases had them', () => {
    const withMetadata = join(dir, 'metadata.jsonl');
    writeFileSync(
      withMetadata,
      [
        { id: 'm1', question: 'How many moorings does the harbour have?', must_include: ['120'], paragraph: 3, type: 'number' },
        { id: 'm2', question: 'What is the capital of Peru?', unanswerable: true, why_unanswerable: 'not in the docs' },
        { id: 'm3', question: 'Who is the lighthouse keeper?', must_include: ['Mara Quinn'] },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    const json = join(dir, 'metadata.json');
    const { code, err } = runEval('--cases', withMetadata, '--docs', docs, '--json', json);
    expect(code).toBe(0);
    expect(err.match(/note: /g)).toHaveLength(1);
    expect(err).toContain('note: ignored unknown fields paragraph, type, why_unanswerable in 2 cases');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.notes).toEqual(['ignored unknown fields paragraph, type, why_unanswerable in 2 cases']);
    expect(report.metrics.correct_rate).toBe(1);
    expect(report.results[0].citations[0]).toMatchObject({ docId: 'harbour.txt', quote: expect.stringContaining('120 moorings') });
  });

  it('exits 2 on bad usage', () => {
    expect(runEval().code).toBe(2);
    const badMode = runEval('--cases', casesFile, '--mode', 'magic');
    expect(badMode.code).toBe(2);
    expect(badMode.err).toContain('--mode must be extractive or generative');
    expect(runEval('--cases', join(dir, 'missing.jsonl')).err).toContain('Cannot read the cases file');
    const noModel = runEval('--cases', casesFile, '--docs', docs, '--mode', 'generative');
    expect(noModel.code).toBe(2);
    expect(noModel.err).toContain('mode "generative" needs a language model');
  });

  it('says before running when the cases name documents the index does not hold, and how to fix it', () => {
    const named = join(dir, 'named.jsonl');
    const cases = [
      { id: 'n1', question: 'How many moorings does the harbour have?', must_include: ['120'], doc: 'harbour.txt' },
      { id: 'n2', question: 'Who is the lighthouse keeper?', must_include: ['Mara Quinn'], doc: 'harbour.txt' },
      { id: 'n3', question: 'When does the ferry leave?', must_include: ['07:15'], doc: 'ferry.txt' },
    ];
    writeFileSync(named, cases.map((c) => JSON.stringify(c)).join('\n'));
    // Some named documents held: a note first, then the run.
    const partly = runEval('--cases', named, '--docs', docs);
    expect(partly.err).toMatch(
      /^note: 1 of 3 cases name documents that the index built from .*docs does not hold: ferry\.txt\. Give the folder .* with --docs FOLDER .* --index DIR/m,
    );
    expect(partly.out).toMatch(/correct_rate/);

    // None held: the cases were written for another index; it stops before running any.
    const wrong = join(dir, 'wrong.jsonl');
    writeFileSync(wrong, cases.map((c) => JSON.stringify({ ...c, doc: 'south-korea-physical-ai.txt' })).join('\n'));
    const stopped = runEval('--cases', wrong, '--docs', docs);
    expect(stopped.code).toBe(2);
    expect(stopped.err).toMatch(
      /^3 of 3 cases name documents that the index built from .*docs does not hold: south-korea-physical-ai\.txt\./m,
    );
    expect(stopped.err).toContain('--docs FOLDER');
    expect(stopped.out).toBe('');
  });
});

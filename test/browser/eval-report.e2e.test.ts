import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDir } from '../helpers/local-engine.js';
import { ROOT, TEST_WORD_VECTORS } from '../paths.js';
import { launchBrowser, runBrowser } from './page-harness.js';

const OUTPUT = `${ROOT}test-output`;

const HOSTILE_QUESTION = '<img src=x onerror="window.injected=1">Is the harbour open?';

interface ReportJson {
  results: { id: string; refused: boolean; failures: string[] }[];
}

let browser: Browser;
let page: Page;
let report: ReportJson;
const requests: string[] = [];

describe.runIf(runBrowser)('eval --html report in Chromium', () => {
  beforeAll(async () => {
    const dir = temporaryDir();
    const docs = join(dir, 'docs');
    mkdirSync(docs);
    // Document text that is markup: the report must show it as text and never run it.
    writeFileSync(
      join(docs, 'harbour.txt'),
      'The harbour has 120 moorings <script>window.injected=2</script>. High tide arrives at 06:40.\n\nThe lighthouse keeper is Mara Quinn.',
    );
    const cases = [
      {
        id: 'moorings',
        question: 'How many moorings does the harbour have?',
        must_include: ['120'],
        contexts: ['The harbour has 120 moorings'],
      },
      { id: 'hostile', question: HOSTILE_QUESTION, unanswerable: true },
      {
        id: 'keeper',
        question: 'Who is the lighthouse keeper?',
        must_include: ['Mara Quinn'],
        contexts: ['The lighthouse keeper is Mara Quinn.'],
      },
      { id: 'wrong-fact', question: 'When does high tide arrive?', must_include: ['midnight'] },
      { id: 'capital', question: 'What is the capital of Peru?', unanswerable: true },
    ];
    writeFileSync(join(dir, 'cases.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n'));
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify({ metrics: { correct_rate: 0.5, fact_recall: 0.4, hit_at_5: 1 } }));
    const html = join(dir, 'report.html');
    const json = join(dir, 'report.json');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'eval/main.ts'),
        '--cases',
        join(dir, 'cases.jsonl'),
        '--docs',
        docs,
        '--baseline',
        join(dir, 'baseline.json'),
        '--html',
        html,
        '--json',
        json,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ENV_FILE: 'none', WORD_VECTORS_CACHE: TEST_WORD_VECTORS, NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(existsSync(html), run.stderr).toBe(true);
    report = JSON.parse(readFileSync(json, 'utf8')) as ReportJson;

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(html).href);
  });

  afterAll(async () => {
    await browser?.close();
  });

  const shownIds = () =>
    page.locator('#cases tbody tr:not([hidden])').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.id));

  it('is one page that loads nothing else, with the metrics charted against the baseline', async () => {
    expect(requests.every((url) => url.startsWith('file:'))).toBe(true);
    expect(requests).toHaveLength(1);
    const correctRate = page.locator('svg.chart g[data-metric="correct_rate"]');
    expect(await correctRate.locator('rect.bar').count()).toBe(1);
    expect(await correctRate.locator('rect.baseline').count()).toBe(1);
    expect(await correctRate.locator('text.value').textContent()).toMatch(/\(was 0\.500\)$/);
    // A metric with a threshold in eval/thresholds.json shows it as a tick.
    expect(await page.locator('svg.chart g[data-metric="fact_recall"] line.threshold').count()).toBe(1);
    // The confidence of the answers shown, as a reliability diagram beside its figures.
    expect(await page.locator('svg.reliability g.bin').count()).toBeGreaterThan(0);
    expect(await page.locator('h2:text("Confidence") + p').textContent()).toMatch(/^Confidence of the \d+ answers shown: ece \d/);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}/eval-report.png`, fullPage: true });
  });

  it('shows questions and document text as text, never as markup', async () => {
    expect(await page.locator('#cases tr[data-id="hostile"] td.question').textContent()).toBe(HOSTILE_QUESTION);
    expect(await page.locator('#cases tr[data-id="moorings"] td.sources blockquote').first().textContent()).toContain(
      '<script>window.injected=2</script>',
    );
    expect(await page.locator('#cases img, #cases script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
  });

  it('filters the case table by text and by outcome', async () => {
    const all = report.results.map((r) => r.id);
    expect(await shownIds()).toEqual(all);
    expect(await page.locator('#shown-count').textContent()).toBe(`${all.length} of ${all.length} cases`);

    await page.fill('#filter-text', 'LIGHTHOUSE keeper');
    expect(await shownIds()).toEqual(['keeper']);
    await page.fill('#filter-text', 'midnight'); // a missing fact, named in the failures column
    expect(await shownIds()).toEqual(['wrong-fact']);
    await page.fill('#filter-text', '');

    const failed = report.results.filter((r) => r.failures.length > 0).map((r) => r.id);
    expect(failed).toContain('wrong-fact');
    expect(failed.length).toBeLessThan(all.length);
    await page.selectOption('#filter-status', 'failed');
    expect(await shownIds()).toEqual(failed);
    await page.selectOption('#filter-status', 'passed');
    expect(await shownIds()).toEqual(all.filter((id) => !failed.includes(id)));
    await page.selectOption('#filter-status', 'refused');
    expect(await shownIds()).toEqual(report.results.filter((r) => r.refused).map((r) => r.id));
    await page.selectOption('#filter-status', 'answered');
    expect(await shownIds()).toEqual(report.results.filter((r) => !r.refused).map((r) => r.id));

    await page.selectOption('#filter-status', 'all');
    await page.fill('#filter-text', 'no case says this');
    expect(await shownIds()).toEqual([]);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    expect(await page.locator('#shown-count').textContent()).toBe(`0 of ${all.length} cases`);
  });
});

import { engineText } from '../helpers/local-engine.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Citation, Passage, SourcePlace } from '../../core/contracts/types.js';
import {
  answerEvents,
  answeredWith,
  DESKTOP,
  finished,
  launchBrowser,
  markTexts,
  pageEngine,
  PHONE,
  runBrowser,
  screenshot,
  startPageServer,
  type PageServer,
} from './page-harness.js';

// Passages and citations as the ingest gives them: with a path, a heading path, a page.
type Placed<T> = T & SourcePlace;

const GUIDE = 'harbour-guide.md';
const ARTICLE = 'south-korea-physical-ai.txt';

let server: PageServer;
let browser: Browser;
let guide: string;
let article: string;
let answer: Answer;

/** A citation of `quote`, found in `text` (the stored document), placed as given. */
function cite(n: number, docId: string, text: string, quote: string, place: SourcePlace): Citation {
  const start = text.indexOf(quote);
  expect(start).toBeGreaterThanOrEqual(0);
  const title = docId === GUIDE ? 'Harbour Crane Guide' : docId;
  return { n, docId, title, chunkId: `${docId}#0`, start, end: start + quote.length, quote, verified: true, link: null, ...place };
}

async function openPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.route('**/v1/answer', (route) =>
    route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream' }, body: answerEvents(answer) }),
  );
  await page.goto(server.url);
  await page.fill('#question', answer.question);
  await page.keyboard.press('Enter');
  await finished(page.locator('.turn').last());
  return page;
}

describe.runIf(runBrowser)('chat page in Chromium: sources, Markdown and exact spans', () => {
  beforeAll(async () => {
    const engine = await pageEngine();
    server = await startPageServer({ engine: engine });
    browser = await launchBrowser();
    guide = await engineText(engine, GUIDE);
    article = await engineText(engine, ARTICLE);
    const limits = { path: `docs/${GUIDE}`, url: null, headingPath: ['Harbour Crane Guide', 'Load limits'], page: null };
    const install = { path: `docs/${GUIDE}`, url: null, headingPath: ['Harbour Crane Guide', 'Install'], page: null };
    const citations = [
      cite(1, GUIDE, guide, '| Gantry A | 65 tonnes | 52 metres |', limits),
      cite(2, GUIDE, guide, 'crane start --port 7070 --verbose', install),
      cite(3, GUIDE, guide, 'crane-controller\ncrane start', install),
      cite(4, GUIDE, guide, 'Lift slowly &amp; steadily.', limits),
      cite(5, GUIDE, guide, '| Gantry B \\| spare | 40 tonnes |', limits),
      cite(6, ARTICLE, article, article.slice(600, 700), { path: 'reports/south-korea.pdf', url: null, headingPath: [], page: 3 }),
    ];
    const passages: Placed<Passage>[] = [
      {
        chunkId: `${GUIDE}#1`,
        docId: GUIDE,
        title: 'Harbour Crane Guide',
        start: 0,
        end: 400,
        score: 1,
        text: guide.slice(0, 400),
        ...limits,
      },
    ];
    answer = answeredWith({
      id: 'ans_fixture',
      question: 'How much can Gantry A lift, and how is the controller started?',
      answer: [
        '| crane | lifting capacity | outreach |\n|---|---|---|\n| Gantry A | 65 tonnes | 52 metres |',
        '[1] [5]',
        '```sh\ncrane start --port 7070 --verbose\n```',
        '[2] [3] Lift slowly & steadily. [4] See the report [6].',
      ].join('\n\n'),
      confidence: 0.82,
      citations,
      passages,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the answer as Markdown: a table, code in monospace, markers, a confidence badge', async () => {
    const page = await openPage(DESKTOP);
    const body = page.locator('.turn .answer-body');
    expect(await body.locator('table td').allTextContents()).toEqual(['Gantry A', '65 tonnes', '52 metres']);
    expect(await body.locator('pre code').textContent()).toBe('crane start --port 7070 --verbose');
    expect(await body.locator('pre').evaluate((pre) => getComputedStyle(pre).fontFamily)).toMatch(/monospace/);
    expect(await body.locator('.marker').allTextContents()).toEqual(['1', '5', '2', '3', '4', '6']);
    expect(await page.locator('.turn .badge').textContent()).toBe('High confidence · 82%');
    await page.close();
  });

  it('shows one chip per place, named by its section (the title not repeated), opening every span cited there', async () => {
    const page = await openPage(DESKTOP);
    const chips = page.locator('.turn .chip');
    expect(await chips.allTextContents()).toEqual([
      'Sources 1, 4, 5 Load limits Harbour Crane Guide',
      'Sources 2, 3 Install Harbour Crane Guide',
      `Source 6 p. 3 ${ARTICLE}`,
    ]);
    expect(await page.locator('.turn .marker[data-n="1"]').getAttribute('aria-label')).toBe(
      'Source 1: docs/harbour-guide.md › Load limits',
    );
    await page.locator('.turn .passages summary').click();
    expect((await page.locator('.passage-open').first().textContent())!.trim()).toBe('Load limits Harbour Crane Guide');
    await chips.nth(0).click();
    expect(await page.textContent('#source-title')).toBe('Harbour Crane Guide');
    expect(await page.textContent('#source-place')).toBe('docs/harbour-guide.md › Load limits');
    await expect
      .poll(() => markTexts(page))
      .toEqual(['Gantry A', '65 tonnes', '52 metres', 'Gantry B | spare', '40 tonnes', 'Lift slowly & steadily.']);
    // Files (link: null) have no live page: no link beside a chip, none in the panel.
    expect(await page.locator('.turn .chip-link').count()).toBe(0);
    expect(await page.locator('#source-link').isVisible()).toBe(false);
    await page.close();
  });

  for (const viewport of [DESKTOP, PHONE]) {
    const size = viewport === PHONE ? 'phone' : 'desktop';
    it(`highlights exactly the cited characters of a table row and a code block in the rendered document (${size})`, async () => {
      const page = await openPage(viewport);
      // Markers open one citation each (a chip opens every citation of its place).
      const marker = (n: number) => page.locator(`.turn .answer-body .marker[data-n="${n}"]`);
      const close = () => page.keyboard.press('Escape');

      // A table row: each cell's text is marked whole, in that row only; the pipes are not shown.
      await marker(1).click();
      await expect.poll(() => markTexts(page)).toEqual(['Gantry A', '65 tonnes', '52 metres']);
      const cells = await page
        .locator('#source-text mark')
        .evaluateAll((marks) => marks.map((mark) => ({ cell: mark.closest('td')?.textContent, row: mark.closest('tr')?.rowIndex })));
      expect(cells).toEqual([
        { cell: 'Gantry A', row: 1 },
        { cell: '65 tonnes', row: 1 },
        { cell: '52 metres', row: 1 },
      ]);
      await screenshot(page, `${size}-source-table-row`);
      await close();

      // An escaped pipe inside a cell is one shown character, marked with its cell.
      await marker(5).click();
      await expect.poll(() => markTexts(page)).toEqual(['Gantry B | spare', '40 tonnes']);
      await close();

      // A line of a code block: inside <pre><code>, exactly that line.
      await marker(2).click();
      await expect.poll(() => markTexts(page)).toEqual(['crane start --port 7070 --verbose']);
      expect(await page.locator('#source-text mark').evaluate((mark) => mark.closest('pre')?.className)).toBe('md-code');
      await screenshot(page, `${size}-source-code-line`);
      await close();

      // Across a line break in code: the end of one line and the start of the next, newline kept.
      await marker(3).click();
      await expect.poll(async () => (await markTexts(page)).join('')).toBe('crane-controller\ncrane start');
      await close();

      // An entity counts as the character it shows.
      await marker(4).click();
      await expect.poll(() => markTexts(page)).toEqual(['Lift slowly & steadily.']);
      await close();

      // A plain-text document stays plain text.
      await marker(6).click();
      await expect.poll(() => markTexts(page)).toEqual([article.slice(600, 700)]);
      expect(await page.locator('#source-text .plain-text').count()).toBe(1);
      await close();

      // Long code lines scroll inside their block, never the page sideways.
      await marker(2).click();
      await expect.poll(() => markTexts(page)).toHaveLength(1);
      if (viewport === PHONE) {
        const pre = await page.locator('#source-text pre.md-code').evaluate((element) => ({
          scroll: element.scrollWidth,
          client: element.clientWidth,
          overflow: getComputedStyle(element).overflowX,
        }));
        expect(pre.overflow).toBe('auto');
        expect(pre.scroll).toBeGreaterThan(pre.client);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.close();
    });
  }

  it('shows HTML written in a document as text: nothing in it runs or loads', async () => {
    const page = await openPage(DESKTOP);
    await page.locator('.turn .chip').first().click();
    await page.locator('#source-text mark').first().waitFor();
    const source = page.locator('#source-text');
    expect(await source.textContent()).toContain('<script>window.injected = 1</script>');
    expect(await source.locator('script, img, iframe, [onerror]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();
    // Only web addresses become links; a javascript: one is shown as text.
    expect(await source.locator('a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual([
      'https://example.com/dashboard',
      'https://example.com/cranes',
    ]);
    expect(await source.locator('a').first().getAttribute('rel')).toBe('noopener noreferrer');
    await page.close();
  });

  it('moves focus into the panel and back to its opener; on a phone Tab stays inside it', async () => {
    const phone = await openPage(PHONE);
    const chip = phone.locator('.turn .chip').first();
    await chip.click();
    await phone.locator('#source-text mark').first().waitFor();
    expect(await phone.evaluate(() => document.querySelector('#source-panel')!.matches(':modal'))).toBe(true);
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('source-text');
    const inside = () => phone.evaluate(() => document.querySelector('#source-panel')!.contains(document.activeElement));
    for (let i = 0; i < 6; i++) {
      await phone.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    await phone.keyboard.press('Shift+Tab');
    expect(await inside()).toBe(true);
    await phone.keyboard.press('Escape');
    expect(await phone.locator('#source-panel').isVisible()).toBe(false);
    expect(await phone.evaluate(() => (document.activeElement as HTMLElement).dataset.n)).toBe('1');
    expect(await phone.evaluate(() => document.activeElement?.className)).toBe('chip');
    await phone.close();

    const desktop = await openPage(DESKTOP);
    const marker = desktop.locator('.turn .marker[data-n="2"]');
    await marker.click();
    await desktop.locator('#source-text mark').first().waitFor();
    expect(await desktop.evaluate(() => document.querySelector('#source-panel')!.matches(':modal'))).toBe(false);
    expect(await desktop.evaluate(() => document.activeElement?.id)).toBe('source-text');
    // Beside the conversation, the panel does not cover it.
    const panel = (await desktop.locator('#source-panel').boundingBox())!;
    const turn = (await desktop.locator('.turn').boundingBox())!;
    expect(turn.x + turn.width).toBeLessThanOrEqual(panel.x);
    await desktop.keyboard.press('Shift+Tab');
    expect(await desktop.evaluate(() => document.activeElement?.id)).toBe('close-source');
    await desktop.keyboard.press('Enter');
    expect(await desktop.evaluate(() => (document.activeElement as HTMLElement).className)).toBe('marker');
    expect(await desktop.evaluate(() => (document.activeElement as HTMLElement).dataset.n)).toBe('2');
    await desktop.close();
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../core/contracts/types.js';
import { CORPUS_DIR, PACKAGE_READMES } from '../paths.js';
import {
  answerEvents,
  answeredWith,
  ask,
  axeViolations,
  DESKTOP,
  finished,
  launchBrowser,
  pageEngine,
  PHONE,
  runBrowser,
  screenshot,
  startPageServer,
  type PageServer,
} from './page-harness.js';

/** What must never show as a title, a suggestion or a chip: entities, and the words of badges and their images. */
const BADGE_OR_ENTITY = /&#?\w+;|build status|npm version|npm downloads|coverage|scorecard|badge|shields\.io|codecov|!\[/i;

let server: PageServer;
let browser: Browser;

async function openPage(viewport: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator('#examples .example').first().waitFor();
  return page;
}

type Box = { x: number; y: number; width: number; height: number };
const box = async (page: Page, selector: string): Promise<Box> => (await page.locator(selector).first().boundingBox())!;

/** Four answered questions: a conversation taller than the screen. */
const LONG_CONVERSATION = [
  'How does lumen-cache evict entries?',
  'What does router.lookup do when no route matches?',
  'How do I install quickmux?',
  'Which entry does lumen-cache evict first?',
];

describe.runIf(runBrowser)('chat page in Chromium: layout, chips and titles over package READMEs with badges', () => {
  beforeAll(async () => {
    const engine = await pageEngine([CORPUS_DIR, PACKAGE_READMES]);
    server = await startPageServer({ engine });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of [DESKTOP, PHONE]) {
    const size = viewport === PHONE ? 'phone' : 'desktop';
    const scheme = viewport === PHONE ? 'dark' : 'light';

    it(`shows no entity or badge text in suggestions, titles or chips, and no two chips alike (${size}, ${scheme})`, async () => {
      const page = await openPage(viewport, scheme);
      const examples = await page.locator('#examples .example').allTextContents();
      expect(examples.length).toBeGreaterThanOrEqual(3);
      for (const text of [...examples, ...(await page.locator('#index-list li').allTextContents())])
        expect(text).not.toMatch(BADGE_OR_ENTITY);
      // Topics, not the project's own pages: no licence, sponsor, donation or changelog.
      for (const example of examples) expect(example).not.toMatch(/licen[cs]e|sponsor|donat|backers|changelog|contributors/i);
      expect(examples).toContain('What is quickmux about?');

      for (const question of [
        'What does router.lookup do when no route matches?',
        'How does lumen-cache evict entries?',
        'What does the strict option of quickmux do?',
        'How do I install tinyqueue?',
        'What does lumen-cache say about Usage?',
      ])
        await ask(page, question);
      // A badge quoted in an answer is left out, not shown as a broken image; code has its Copy button.
      const usage = page.locator('.turn').last();
      expect(await usage.locator('.answer-body').textContent()).not.toMatch(BADGE_OR_ENTITY);
      expect(await usage.locator('.answer-body .md-image').count()).toBe(0);
      for (let i = 0; i < (await page.locator('.turn .passages').count()); i++)
        await page.locator('.turn .passages summary').nth(i).click();
      expect(await axeViolations(page)).toEqual([]);
      const turns = page.locator('.turn');
      for (let i = 0; i < (await turns.count()); i++) {
        const chips = turns.nth(i).locator('.chip');
        const texts = await chips.allTextContents();
        expect(new Set(texts).size, texts.join(' | ')).toBe(texts.length);
        for (const text of texts) expect(text).not.toMatch(BADGE_OR_ENTITY);
        // What tells chips apart is never cut: only the document's name after it may be.
        const cut = await chips
          .locator('.place-tail')
          .evaluateAll((tails) => tails.filter((tail) => tail.scrollWidth > tail.clientWidth + 1).length);
        expect(cut).toBe(0);
      }
      await page.locator('.turn .chip').first().click();
      await page.locator('#source-text mark').first().waitFor();
      expect(await page.textContent('#source-title')).not.toMatch(BADGE_OR_ENTITY);
      expect(await page.textContent('#source-place')).not.toMatch(BADGE_OR_ENTITY);
      await screenshot(page, `${size}-readmes-source-open`);
      await page.context().close();
    });
  }

  it('keeps the conversation at least 600 px wide beside the open panel at 1280 px, the list folding to make room', async () => {
    const page = await openPage(DESKTOP);
    await ask(page, 'What does router.lookup do when no route matches?');
    await ask(page, 'How does lumen-cache evict entries?');
    expect(await page.locator('#chats').isVisible()).toBe(true);
    await page.locator('.turn .chip').first().click();
    await page.locator('#source-text mark').first().waitFor();
    const conversation = await box(page, '#conversation');
    const panel = await box(page, '#source-panel');
    expect(conversation.width).toBeGreaterThanOrEqual(600);
    expect(conversation.x + conversation.width).toBeLessThanOrEqual(panel.x);
    expect(await page.locator('#chats').isVisible()).toBe(false);
    // The panel ends inside the screen: nothing of it sits under the question bar.
    expect(panel.y + panel.height).toBeLessThanOrEqual(DESKTOP.height);
    // The question bar lines up with the conversation.
    const bar = await box(page, '#ask-form');
    expect(Math.abs(bar.x - conversation.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(bar.width - conversation.width)).toBeLessThanOrEqual(1);
    await screenshot(page, 'desktop-panel-room');

    // Closing the panel gives the list back.
    await page.click('#close-source');
    expect(await page.locator('#chats').isVisible()).toBe(true);
    // Chat titles read (two lines), beside a delete mark of their own width.
    const title = await box(page, '#chat-list .chat-open');
    expect(title.width).toBeGreaterThan(150);
    await page.context().close();
  });

  it('keeps the header on screen, folds the list on request (kept after a reload), and keeps the Latest pill off the answers', async () => {
    const page = await openPage(DESKTOP);
    for (const question of LONG_CONVERSATION) await ask(page, question);
    await page.mouse.move(640, 300);
    await page.mouse.wheel(0, -2000);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeLessThan(100);
    await page.mouse.wheel(0, 600);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    expect((await box(page, '.top')).y).toBe(0);

    // The pill, when shown, sits in the question bar's own space, above the box.
    await page.mouse.wheel(0, -300);
    await page.locator('#jump-latest').waitFor();
    const pill = await box(page, '#jump-latest');
    const bar = await box(page, '#ask-form');
    expect(pill.y).toBeGreaterThanOrEqual(bar.y);
    expect(pill.y + pill.height).toBeLessThanOrEqual((await box(page, '#question')).y);
    await screenshot(page, 'desktop-latest-pill');
    await page.click('#jump-latest');

    expect(await page.getAttribute('#toggle-chats', 'aria-expanded')).toBe('true');
    await page.click('#toggle-chats');
    expect(await page.locator('#chats').isVisible()).toBe(false);
    const wide = await box(page, '#conversation');
    await page.reload();
    await page.locator('.turn').first().waitFor();
    expect(await page.getAttribute('#toggle-chats', 'aria-expanded')).toBe('false');
    expect((await box(page, '#conversation')).width).toBe(wide.width);
    await page.click('#toggle-chats');
    await page.context().close();
  });

  it('puts a Copy button on each code block of an answer, copying the code without its markers', async () => {
    const page = await openPage(DESKTOP);
    const answer: Answer = answeredWith({
      id: 'ans_code',
      question: 'How do I start quickmux?',
      answer: 'Create a router [1]:\n\n```js\nconst router = quickmux()\nrouter.get("/", handler) [1]\n```',
      confidence: 0.9,
      citations: [],
      passages: [],
    });
    await page.route('**/v1/answer', (route) =>
      route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream' }, body: answerEvents(answer) }),
    );
    await page.fill('#question', answer.question);
    await page.keyboard.press('Enter');
    const turn = page.locator('.turn').last();
    await finished(turn);
    const copy = turn.locator('.answer-body .code-copy');
    expect(await copy.count()).toBe(1);
    expect(await copy.getAttribute('aria-label')).toBe('Copy the js code');
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('const router = quickmux()\nrouter.get("/", handler) [1]');
    await page.context().close();
  });

  it('renders closest passages as Markdown, one per place', async () => {
    const page = await openPage(DESKTOP);
    const turn = await ask(page, 'How do I configure the retry budget of quickmux?');
    await turn.locator('.passages summary').click();
    const entries = turn.locator('.passage-list > li');
    const labels = await entries.locator('.passage-open').allTextContents();
    expect(new Set(labels).size).toBe(labels.length);
    const snippets = await entries.locator('.passage-snippet').allTextContents();
    for (const snippet of snippets) {
      expect(snippet).not.toMatch(/```|<!--|\]\[|^\s*\|/m);
      expect(snippet).not.toMatch(BADGE_OR_ENTITY);
    }
    await page.context().close();
  });
});

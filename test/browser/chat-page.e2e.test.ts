import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../core/contracts/chat-model.js';
import type { Engine } from '../../core/engine.js';
import { EngineHolder } from '../../runtime/engine-holder.js';
import type { SearchIndex } from '../../store/search-index.js';
import type { Answer } from '../../core/contracts/types.js';
import { ScriptedChatModel } from '../fakes/scripted-chat-model.js';
import { WaitingChatModel } from '../fakes/waiting-chat-model.js';
import { localEngine } from '../helpers/local-engine.js';
import {
  ask,
  DESKTOP,
  finished,
  launchBrowser,
  markTexts,
  pageIndex,
  PHONE,
  runBrowser,
  screenshot,
  startPageServer,
  type PageServer,
} from './page-harness.js';

let index: SearchIndex;
let engine: Engine;
const current = new EngineHolder();
let server: PageServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

describe.runIf(runBrowser)('chat page in Chromium: a conversation', () => {
  beforeAll(async () => {
    index = await pageIndex();
    engine = localEngine(index);
    current.set(engine);
    server = await startPageServer({ engine: current });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: PHONE });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    await page.goto(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Runs `steps` while the server answers in generative mode with a model that waits until the request is aborted. */
  async function whileTheModelWaits(steps: (model: WaitingChatModel) => Promise<void>): Promise<void> {
    const model = new WaitingChatModel();
    current.set(localEngine(index, { chatModel: model, defaultMode: 'generative' }));
    try {
      await steps(model);
    } finally {
      current.set(engine);
    }
  }

  async function apiAnswer(question: string): Promise<Answer> {
    const response = await fetch(`${server.url}/v1/answer`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question }),
    });
    return (await response.json()) as Answer;
  }

  it('shows what is indexed and example questions made from it', async () => {
    await page.locator('#examples .example').first().waitFor();
    expect(await page.textContent('#index-summary')).toMatch(/^2 documents · [\d,]+ passages · [\d,]+ characters$/);
    expect(await page.locator('#index-list li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Harbour Crane Guide')]),
    );
    const examples = await page.locator('#examples .example').allTextContents();
    // Titles and the guide's own section headings, nothing written for the bundled corpus.
    expect(examples).toContain('What is Harbour Crane Guide about?');
    expect(examples).toContain('What does Harbour Crane Guide say about Load limits?');
    await screenshot(page, 'phone-empty');
  });

  it('streams an answer whose source chips and markers open the exact cited spans', async () => {
    const question = 'Which sectors does the Physical AI Global Alliance target?';
    const turn = await ask(page, question);
    const expected = await apiAnswer(question);
    expect(expected.citations.length).toBeGreaterThan(0);
    // One chip per place: the article has no headings, so its citations share one chip, opening all their spans.
    const places = new Map<string, typeof expected.citations>();
    for (const citation of expected.citations) {
      const key = JSON.stringify([citation.docId, citation.page, citation.headingPath]);
      places.set(key, [...(places.get(key) ?? []), citation]);
    }
    const chips = turn.locator('.chip');
    expect(await chips.count()).toBe(places.size);
    for (const [i, cited] of [...places.values()].entries()) {
      const numbers = cited.map((citation) => citation.n).join(', ');
      expect(await chips.nth(i).textContent()).toBe(`${cited.length > 1 ? 'Sources' : 'Source'} ${numbers} ${cited[0].title}`);
      await chips.nth(i).click();
      const inOrder = [...cited].sort((a, b) => a.start - b.start);
      await expect.poll(async () => (await markTexts(page)).join('')).toBe(inOrder.map((citation) => citation.quote).join(''));
      // The span is scrolled into the panel's visible area.
      const panel = (await page.locator('#source-text').boundingBox())!;
      const mark = (await page.locator('#source-text mark').first().boundingBox())!;
      expect(mark.y).toBeGreaterThanOrEqual(panel.y);
      expect(mark.y).toBeLessThan(panel.y + panel.height);
      if (i === 0) await screenshot(page, 'phone-source-panel');
      await page.keyboard.press('Escape');
    }
    await turn.locator('.marker').first().click();
    await expect.poll(() => markTexts(page)).toEqual([expected.citations[0].quote]);
    await page.click('#close-source');
    // The answer reads as the API's text, each [n] shown as its marker.
    expect(await turn.locator('.answer-body').textContent()).toBe(expected.answer.replace(/\[(\d+)\]/g, '$1'));
    await expect.poll(() => page.textContent('#announcer')).toBe(expected.answer.replace(/\s*\[\d+\]/g, ''));
    await screenshot(page, 'phone-answer');
  });

  it('keeps the conversation for follow-ups, Shift+Enter adds a line, and shows refusals with the closest passages', async () => {
    await ask(page, 'Who did President Lee Jae Myung meet on Friday?');
    await page.fill('#question', 'Which companies did they pledge to work with?');
    await page.keyboard.press('Shift+Enter');
    expect(await page.inputValue('#question')).toBe('Which companies did they pledge to work with?\n');
    await page.keyboard.press('Enter');
    const followUp = page.locator('.turn').last();
    await finished(followUp);
    expect(await followUp.locator('.answer-body').textContent()).toContain('Samsung Electronics');

    const refusal = await ask(page, 'What is the capital of Australia?');
    expect(await refusal.locator('.badge-refusal').textContent()).toBe('Not in the sources');
    expect(await refusal.locator('.refusal-reason').textContent()).toMatch(/\w/);
    await refusal.locator('.passages summary').click();
    expect(await refusal.locator('.passage-list li').count()).toBeGreaterThan(0);
    await refusal.locator('.passage-open').first().click();
    await expect.poll(async () => (await markTexts(page)).join('').length).toBeGreaterThan(100);
    await page.keyboard.press('Escape');
    await screenshot(page, 'phone-refusal');
  });

  it('restores the conversation after a reload, sources still opening their spans', async () => {
    const before = await page.locator('.turn .question').allTextContents();
    const answers = await page.locator('.turn .answer-body').allTextContents();
    await page.reload();
    await page.locator('.turn').first().waitFor();
    expect(await page.locator('.turn .question').allTextContents()).toEqual(before);
    expect(await page.locator('.turn .answer-body').allTextContents()).toEqual(answers);
    await page.locator('.turn').first().locator('.chip').first().click();
    await expect.poll(async () => (await markTexts(page)).join('').length).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
  });

  it('copies an answer with its citations as footnotes, regenerates a generative one (not an extractive one), and edits and resends a question', async () => {
    const first = page.locator('.turn').first();
    const expected = await apiAnswer((await first.locator('.question').textContent())!);
    await first.locator('.copy').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${expected.answer}\n\n${expected.citations.map((c) => `[${c.n}] ${c.path}: “${c.quote}”`).join('\n')}`);

    // An extractive answer is the same each time: no Regenerate. A generative one is written anew.
    const last = page.locator('.turn').last();
    expect(await last.locator('.regenerate').isHidden()).toBe(true);
    let replies = 0;
    const question = 'Which ministry launched the Physical AI Global Alliance?';
    // Cites the passage that says it, worded differently each time; asked to make a follow-up standalone, gives the question.
    const reply = (messages: ChatMessage[]) => {
      const prompt = messages.map((message) => message.content).join('\n');
      const passage = [...prompt.matchAll(/<passage n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/passage>/g)].find((m) =>
        m[2].includes('Ministry of Science'),
      );
      if (!passage) return question;
      return ++replies % 2 === 1
        ? `The Ministry of Science and ICT launched the Physical AI Global Alliance [${passage[1]}].`
        : `The Physical AI Global Alliance was launched by the Ministry of Science and ICT [${passage[1]}].`;
    };
    current.set(localEngine(index, { chatModel: new ScriptedChatModel(reply), defaultMode: 'generative' }));
    try {
      const generated = await ask(page, question);
      expect(await generated.locator('.answer-body').textContent()).toContain('Ministry of Science and ICT');
      const count = await page.locator('.turn').count();
      const before = await generated.locator('.answer-body').textContent();
      await generated.locator('.regenerate').click();
      await finished(generated);
      expect(await page.locator('.turn').count()).toBe(count);
      expect(await generated.locator('.answer-body').textContent()).not.toBe(before);
    } finally {
      current.set(engine);
    }

    await first.locator('.edit').click();
    expect(await page.inputValue('#question')).toBe(expected.question);
    await page.fill('#question', 'How many GPUs will South Korea have?');
    await page.keyboard.press('Enter');
    await finished(page.locator('.turn').first());
    // The edited question replaced the first turn and every turn after it.
    expect(await page.locator('.turn .question').allTextContents()).toEqual(['How many GPUs will South Korea have?']);
    expect(await page.locator('.turn .answer-body').textContent()).toContain('300,000');
  });

  it('lists kept conversations to switch between and delete', async () => {
    await page.click('#new-chat');
    expect(await page.locator('.turn').count()).toBe(0);
    await ask(page, 'Who is Ha Jung-woo?');
    await page.click('#toggle-chats');
    const entries = page.locator('#chat-list .chat-open');
    expect(await entries.allTextContents()).toEqual(['Who is Ha Jung-woo?', 'How many GPUs will South Korea have?']);
    await screenshot(page, 'phone-conversation-list');
    await entries.nth(1).click();
    expect(await page.locator('.turn .question').allTextContents()).toEqual(['How many GPUs will South Korea have?']);
    // On a phone the list is a drawer: picking a conversation closes it.
    expect(await page.getAttribute('#toggle-chats', 'aria-expanded')).toBe('false');
    await page.click('#toggle-chats');
    await page.locator('#chat-list .chat-delete').nth(1).click();
    expect(await entries.allTextContents()).toEqual(['Who is Ha Jung-woo?']);
    expect(await page.locator('.turn').count()).toBe(0);
    await page.click('#toggle-chats');
  });

  it('stops a streaming answer, keeping the turn to ask again', async () => {
    await whileTheModelWaits(async (model) => {
      await page.fill('#question', 'Which ministry launched the Physical AI Global Alliance?');
      await page.keyboard.press('Enter');
      const turn = page.locator('.turn').last();
      // In generative mode the model first makes the follow-up standalone: it waits there, before any event.
      await turn.locator('.status:not([hidden])').waitFor();
      expect(await page.textContent('#send')).toBe('Stop');
      await screenshot(page, 'phone-streaming');
      await page.click('#send');
      await turn.locator('.problem:not([hidden])').waitFor();
      expect(await turn.locator('.problem-text').textContent()).toBe('Stopped before the answer was complete.');
      expect(await turn.locator('.status').isHidden()).toBe(true);
      await expect.poll(() => model.aborted).toBe(true);
      expect(await page.textContent('#send')).toBe('Ask');
    });
    const turn = page.locator('.turn').last();
    await turn.locator('.retry').click();
    await finished(turn);
    expect(await turn.locator('.answer-body').textContent()).toContain('Ministry of Science and ICT');
  });

  for (const viewport of [PHONE, DESKTOP]) {
    it(`keeps the newest answer fully visible above the question bar after ten questions at ${viewport.width}x${viewport.height}`, async () => {
      await page.setViewportSize(viewport);
      await page.click('#new-chat');
      for (let i = 0; i < 10; i++) {
        const turn = await ask(page, `Who is Ha Jung-woo? (${i + 1})`);
        if (i < 2) continue;
        const box = (await turn.boundingBox())!;
        const bar = (await page.locator('#ask-form').boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(bar.y);
      }
      // Past the server's history limit, follow-ups still work.
      expect(await page.locator('.turn .problem:not([hidden])').count()).toBe(0);
      await screenshot(page, `${viewport.width === PHONE.width ? 'phone' : 'desktop'}-ten-questions`);
      await page.setViewportSize(PHONE);
    });
  }

  it('stops following the newest turn when the reader scrolls up; the Latest button brings it back', async () => {
    expect(await page.locator('.turn').count()).toBe(10);
    await whileTheModelWaits(async () => {
      await page.fill('#question', 'Who is Ha Jung-woo? (11)');
      await page.keyboard.press('Enter');
      const turn = page.locator('.turn').last();
      await turn.locator('.status:not([hidden])').waitFor();
      await page.mouse.move(200, 300);
      await page.mouse.wheel(0, -1200);
      await page.locator('#jump-latest').waitFor();
      const readingAt = await page.evaluate(() => window.scrollY);
      // The turn changes (stopped) while the reader is up the page: the page stays where they are.
      await page.click('#send');
      await turn.locator('.problem:not([hidden])').waitFor();
      expect(await page.evaluate(() => window.scrollY)).toBe(readingAt);
      await page.click('#jump-latest');
      const box = (await turn.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual((await page.locator('#ask-form').boundingBox())!.y);
      expect(await page.locator('#jump-latest').isHidden()).toBe(true);
    });
  });

  it('shows questions and documents as text, never as markup', async () => {
    await page.click('#new-chat');
    const hostile = '<img src=x onerror="window.injected=1">Who is Ha Jung-woo?';
    const turn = await ask(page, hostile);
    expect(await turn.locator('.question').textContent()).toBe(hostile);
    expect(await page.locator('.turn img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();

    const tooLong = await ask(page, 'x'.repeat(2001));
    expect(await tooLong.locator('.problem-text').textContent()).toMatch(/question: must be at most 2000 characters/);
  });
});

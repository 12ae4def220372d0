import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineRegistry } from '../../runtime/engine-registry.js';
import { buildCollections, COLLECTION_QUESTIONS } from '../helpers/two-collections.js';
import { ask, DESKTOP, launchBrowser, markTexts, PHONE, runBrowser, screenshot, startPageServer, type PageServer } from './page-harness.js';

let registry: EngineRegistry;
let servers: PageServer[] = [];
let browser: Browser;

describe.runIf(runBrowser)('chat page in Chromium: collections', () => {
  beforeAll(async () => {
    ({ registry } = await buildCollections());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.stop()));
  });

  async function openPage(server: PageServer, key?: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    if (key) await page.addInitScript((saved) => localStorage.setItem('verbatim-api-key', saved), key);
    await page.goto(server.url);
    return page;
  }

  it('picks a collection per conversation: answers and sources come from it, and each conversation keeps its own', async () => {
    const server = await startPageServer({ collections: registry });
    servers.push(server);
    const page = await openPage(server);
    const picker = page.locator('#collection');
    await expect
      .poll(() => picker.locator('option').allTextContents())
      .toEqual(['default · 1 document', 'handbook · 2 documents', 'runbooks · 2 documents', 'broken (unavailable)']);
    expect(await picker.inputValue()).toBe('default');
    expect(await picker.locator('option[value="broken"]').isDisabled()).toBe(true);

    // The empty state lists the picked collection's documents.
    await picker.selectOption('handbook');
    await expect.poll(() => page.locator('#index-summary').textContent()).toMatch(/^2 documents/);
    const handbookTurn = await ask(page, COLLECTION_QUESTIONS.handbook.question);
    expect(await handbookTurn.locator('.answer-body').textContent()).toContain('27 days');
    await handbookTurn.locator('.chip').first().click();
    await expect.poll(() => markTexts(page)).toEqual([expect.stringContaining('27 days of paid leave')]);
    await page.locator('#close-source').click();

    // Another collection for a conversation under way starts a new chat in it.
    await picker.selectOption('runbooks');
    expect(await page.locator('.turn').count()).toBe(0);
    const runbooksTurn = await ask(page, COLLECTION_QUESTIONS.runbooks.question);
    expect(await runbooksTurn.locator('.answer-body').textContent()).toContain('bravo-7');
    await screenshot(page, 'collections-runbooks');

    // Back in the first conversation, its collection comes back with it, and after a reload too.
    await page.locator('.chat-open', { hasText: COLLECTION_QUESTIONS.handbook.question }).click();
    expect(await picker.inputValue()).toBe('handbook');
    await page.reload();
    await expect.poll(() => picker.inputValue()).toBe('handbook');
    const followUp = await ask(page, 'When does the Lisbon office open?');
    expect(await followUp.locator('.answer-body').textContent()).toContain('8:15');

    // On a phone the picker fits in the header: nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    expect(await picker.isVisible()).toBe(true);
    await screenshot(page, 'collections-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });

  it("shows only the key's collections, and no picker for a key that reads one", async () => {
    const server = await startPageServer({
      collections: registry,
      apiKeys: [
        { key: 'k-two', collections: ['runbooks', 'handbook'] },
        { key: 'k-one', collections: ['handbook'] },
      ],
    });
    servers.push(server);
    const two = await openPage(server, 'k-two');
    await expect
      .poll(() => two.locator('#collection option').allTextContents())
      .toEqual(['handbook · 2 documents', 'runbooks · 2 documents']);
    expect(await two.locator('#collection').inputValue()).toBe('runbooks');

    const one = await openPage(server, 'k-one');
    await expect.poll(() => one.locator('#index-summary').textContent()).toMatch(/^2 documents/);
    expect(await one.locator('#collection-row').isHidden()).toBe(true);
    const turn = await ask(one, COLLECTION_QUESTIONS.handbook.question);
    expect(await turn.locator('.answer-body').textContent()).toContain('27 days');
  });
});

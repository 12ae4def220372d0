import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../core/types.js';
import { createApp } from '../../server/create-app.js';
import { buildLocalIndex, localDependencies } from '../helpers/local-engine.js';
import { CORPUS_DIR, ROOT } from '../paths.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = `${ROOT}test-output`;
// CI installs Chromium (.ci/run), so there a missing browser fails; elsewhere it skips with this reason.
const runBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

let server: Server;
let baseUrl: string;
let browser: Browser;
let page: Page;

describe.runIf(runBrowser)('chat page in Chromium', () => {
  beforeAll(async () => {
    const engine = localDependencies(await buildLocalIndex(CORPUS_DIR));
    server = createApp({ engine: () => engine, limits: { maxQuestionChars: 2000, maxHistoryTurns: 8 } }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function apiAnswer(question: string, history: unknown[] = []): Promise<Answer> {
    const response = await fetch(`${baseUrl}/v1/answer`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ question, history }) });
    return (await response.json()) as Answer;
  }

  it('streams an answer whose citation marker opens the source with the exact span highlighted', async () => {
    const question = 'Which sectors does the Physical AI Global Alliance target?';
    await page.fill('#question', question);
    await page.keyboard.press('Enter');
    const marker = page.locator('.turn').last().locator('.marker').first();
    await marker.waitFor();
    const expected = await apiAnswer(question);
    await expect.poll(() => page.locator('.turn').last().locator('.answer-text').textContent()).toBe(expected.answer);
    await marker.click();
    const mark = page.locator('#source-text mark');
    await mark.waitFor();
    expect(await mark.textContent()).toBe(expected.citations[0].quote);
    // The span is scrolled into the panel's visible area.
    const panel = (await page.locator('#source-text').boundingBox())!;
    const box = (await mark.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(panel.y);
    expect(box.y).toBeLessThan(panel.y + panel.height);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}/chat-page.png`, fullPage: false });
    await page.click('#close-source');
  });

  it('keeps the conversation for follow-ups, Shift+Enter adds a line, and shows refusals clearly', async () => {
    await page.fill('#question', 'Who did President Lee Jae Myung meet on Friday?');
    await page.keyboard.press('Enter');
    await page.locator('.turn').nth(1).locator('.marker').first().waitFor();
    await page.fill('#question', 'Which companies did they pledge to work with?');
    await page.keyboard.press('Shift+Enter');
    expect(await page.inputValue('#question')).toBe('Which companies did they pledge to work with?\n');
    await page.keyboard.press('Enter');
    const followUp = page.locator('.turn').nth(2);
    await followUp.locator('.marker').first().waitFor();
    expect(await followUp.locator('.answer-text').textContent()).toContain('Samsung Electronics');

    await page.fill('#question', 'What is the capital of Australia?');
    await page.keyboard.press('Enter');
    const refusal = page.locator('.turn').nth(3).locator('.refusal');
    await refusal.waitFor();
    expect(await refusal.locator('.refusal-title').textContent()).toBe('Not in the sources');
    expect(await page.locator('.turn').nth(3).locator('.passage-list li').count()).toBeGreaterThan(0);
  });

  it('keeps working past the server\'s history limit in a long conversation', async () => {
    await page.click('#new-chat');
    for (let i = 0; i < 12; i++) {
      await page.fill('#question', `Who is Ha Jung-woo? (${i})`);
      await page.keyboard.press('Enter');
      await page.locator('.turn').nth(i).locator('.marker, .refusal:not([hidden]), .error:not([hidden])').first().waitFor();
    }
    expect(await page.locator('.turn .error:not([hidden])').count()).toBe(0);
  });

  it('shows questions as text, never as markup, and errors inline', async () => {
    await page.click('#new-chat');
    expect(await page.locator('.turn').count()).toBe(0);
    const hostile = '<img src=x onerror="window.injected=1">Who is Ha Jung-woo?';
    await page.fill('#question', hostile);
    await page.keyboard.press('Enter');
    await page.locator('.turn .marker, .turn .refusal:not([hidden])').first().waitFor();
    expect(await page.locator('.turn .question').textContent()).toBe(hostile);
    expect(await page.locator('.turn img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: number }).injected)).toBeUndefined();

    await page.fill('#question', 'x'.repeat(2001));
    await page.keyboard.press('Enter');
    const error = page.locator('.turn').last().locator('.error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/question: must be at most 2000 characters/);
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../core/engine.js';
import { EngineHolder } from '../../runtime/engine-holder.js';
import { CORPUS_DIR } from '../paths.js';
import {
  ask,
  finished,
  launchBrowser,
  pageEngine,
  PHONE,
  runBrowser,
  screenshot,
  startPageServer,
  type PageServer,
} from './page-harness.js';

const QUESTION = 'How many high-performance GPUs will South Korea have?';

let engine: Engine;
let browser: Browser;
const servers: PageServer[] = [];
const pages: Page[] = [];

async function serve(deps: Partial<Parameters<typeof startPageServer>[0]> = {}): Promise<{ server: PageServer; page: Page }> {
  const server = await startPageServer({ engine: engine, ...deps });
  servers.push(server);
  const page = await browser.newPage({ viewport: PHONE });
  pages.push(page);
  await page.goto(server.url);
  return { server, page };
}

describe.runIf(runBrowser)('chat page in Chromium: errors in words, and a retry that keeps the question', () => {
  beforeAll(async () => {
    engine = await pageEngine([CORPUS_DIR]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.stop();
  });

  it('says the server cannot be reached while it is stopped, and retries the same question once it is back', async () => {
    const { server, page } = await serve();
    await server.stop();
    const turn = await ask(page, QUESTION);
    expect(await turn.locator('.problem-text').textContent()).toBe(
      'Could not reach the Verbatim server. Check that it is running, then retry.',
    );
    expect(await turn.locator('.question').textContent()).toBe(QUESTION);
    expect(await turn.locator('.retry').isVisible()).toBe(true);
    await screenshot(page, 'phone-error-server-stopped');

    await server.restart();
    await turn.locator('.retry').click();
    await finished(turn);
    expect(await turn.locator('.problem').isHidden()).toBe(true);
    expect(await turn.locator('.answer-body').textContent()).toContain('300,000');
    expect(await page.locator('.turn').count()).toBe(1);
  });

  it('shows an error, not a spinner, when the stream ends without its done event', async () => {
    const { page } = await serve();
    await page.route('**/v1/answer', (route) =>
      route.fulfill({
        status: 200,
        headers: { 'Content-Type': 'text/event-stream' },
        body: 'event: passages\ndata: {"passages":[],"standaloneQuestion":"q"}\n\nevent: delta\ndata: {"text":"Half an ans"}\n\n',
      }),
    );
    const turn = await ask(page, QUESTION);
    expect(await turn.locator('.problem-text').textContent()).toMatch(/^The answer was cut off before it was complete/);
    expect(await turn.locator('.status').isHidden()).toBe(true);
    expect(await turn.locator('.answer-body').textContent()).toBe('Half an ans');
    await page.unroute('**/v1/answer');
    await turn.locator('.retry').click();
    await finished(turn);
    expect(await turn.locator('.answer-body').textContent()).toContain('300,000');
  });

  it('tells a rate-limited reader in how many seconds to try again', async () => {
    // The page's own GET /v1/sources is the first request of the two allowed.
    const { page } = await serve({ rateLimitPerMinute: 2 });
    await ask(page, QUESTION);
    const limited = await ask(page, QUESTION);
    const message = (await limited.locator('.problem-text').textContent())!;
    expect(message).toMatch(/^Too many questions in a short time\. Try again in \d+ seconds\.$/);
    expect(Number(/(\d+) seconds/.exec(message)![1])).toBeLessThanOrEqual(60);
    await screenshot(page, 'phone-error-rate-limited');
  });

  it('asks for an API key when the server needs one, then asks the question again', async () => {
    const { page } = await serve({ apiKeys: ['key-for-the-page'] });
    const turn = await ask(page, QUESTION);
    expect(await turn.locator('.problem-text').textContent()).toBe(
      'This server needs an API key. Enter it below and the question is asked again.',
    );
    expect(await page.locator('#key-row').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    // The placeholder fits its box.
    const fits = await page.locator('#api-key').evaluate((input: HTMLInputElement) => {
      const probe = document.createElement('span');
      probe.style.cssText = `position: absolute; white-space: nowrap; font: ${getComputedStyle(input).font}`;
      probe.textContent = input.placeholder;
      document.body.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width <= input.clientWidth;
    });
    expect(fits).toBe(true);
    await screenshot(page, 'phone-error-api-key');
    await page.fill('#api-key', 'key-for-the-page');
    await page.click('#save-key');
    await finished(turn);
    await expect.poll(() => turn.locator('.answer-body').textContent()).toContain('300,000');
    expect(await page.locator('#key-row').isHidden()).toBe(true);
    // What is indexed, refused without the key, is listed once it is saved.
    await expect.poll(() => page.textContent('#index-summary')).toMatch(/^1 document · /);
  });

  it('says the documents are still loading, and answers on retry once they are', async () => {
    const loading = new EngineHolder();
    const { page } = await serve({ engine: loading, ready: () => loading.ready });
    const turn = await ask(page, QUESTION);
    expect(await turn.locator('.problem-text').textContent()).toMatch(
      /^The server is still loading the documents\. Try again in \d+ seconds\.$/,
    );
    loading.set(engine);
    await turn.locator('.retry').click();
    await finished(turn);
    await expect.poll(() => turn.locator('.answer-body').textContent()).toContain('300,000');
  });
});

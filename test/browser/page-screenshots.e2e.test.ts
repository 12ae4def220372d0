import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CORPUS_DIR, ROOT } from '../paths.js';
import { ask, DESKTOP, launchBrowser, pageEngine, PHONE, runBrowser, startPageServer, type PageServer } from './page-harness.js';

// Not a check: writes the screenshots docs/screenshots/ shows, over the bundled article and three
// package READMEs with badges. Runs only when asked: SCREENSHOTS=after npm run test:e2e -- page-screenshots
const NAME = process.env.SCREENSHOTS;
const OUT = join(ROOT, 'docs/screenshots');
const READMES = join(ROOT, 'test/fixtures/package-readmes');

let server: PageServer;
let browser: Browser;

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${NAME}-${name}.png`) });
}

describe.runIf(runBrowser && NAME)('page screenshots for docs/', () => {
  beforeAll(async () => {
    const engine = await pageEngine([CORPUS_DIR, READMES]);
    server = await startPageServer({ engine });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`${size}`, async () => {
      const page = await browser.newPage({ viewport, colorScheme: 'light' });
      await page.goto(server.url);
      await page.locator('#examples .example').first().waitFor();
      await shoot(page, `${size}-empty`);
      await ask(page, 'What does router.lookup do when no route matches?');
      await ask(page, 'How do I install quickmux?');
      await shoot(page, `${size}-answer`);
      await page.locator('.turn').last().locator('.chip').first().click();
      await page.locator('#source-text mark').first().waitFor();
      await shoot(page, `${size}-source-open`);
      await page.keyboard.press('Escape');
      const refusal = await ask(page, 'How do I configure the retry budget of quickmux?');
      await refusal.locator('.passages summary').click();
      await refusal.scrollIntoViewIfNeeded();
      await shoot(page, `${size}-refusal`);
      await page.close();
    }, 120_000);
  }
});

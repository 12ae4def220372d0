import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  axeViolations,
  contrast,
  DESKTOP,
  launchBrowser,
  pageEngine,
  PHONE,
  runBrowser,
  screenshot,
  startPageServer,
  type PageServer,
} from './page-harness.js';

let server: PageServer;
let browser: Browser;

/** Contrast of the non-text parts a reader must see: the question box's border and the focus ring. */
async function controlContrast(page: Page): Promise<{ border: number; focus: number; chip: number }> {
  await page.focus('#question');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const colors = await page.evaluate(() => {
    const input = getComputedStyle(document.getElementById('question')!);
    const form = getComputedStyle(document.getElementById('ask-form')!);
    const chip = document.querySelector('.chip');
    return {
      border: input.borderTopColor,
      outline: input.outlineColor,
      background: form.backgroundColor,
      chip: chip ? getComputedStyle(chip).borderTopColor : null,
      chipBackground: chip ? getComputedStyle(chip.closest('.turn')!).backgroundColor : null,
    };
  });
  return {
    border: contrast(colors.border, colors.background),
    focus: contrast(colors.outline, colors.background),
    chip: colors.chip ? contrast(colors.chip, colors.chipBackground!) : Infinity,
  };
}

describe.runIf(runBrowser)('chat page in Chromium: themes and accessibility', () => {
  beforeAll(async () => {
    const engine = await pageEngine();
    server = await startPageServer({ engine: engine });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('follows the system dark preference, and the toggle overrides it for later visits', async () => {
    const context = await browser.newContext({ viewport: PHONE, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(server.url);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('true');
    expect(contrast(await background(), 'rgb(0, 0, 0)')).toBeLessThan(1.5);
    await ask(page, 'Which companies did Nvidia pledge to cooperate with?');
    await screenshot(page, 'phone-dark');

    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(contrast(await background(), 'rgb(255, 255, 255)')).toBeLessThan(1.2);
    await page.reload();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await page.getAttribute('#theme-toggle', 'aria-pressed')).toBe('false');
    await context.close();

    const light = await browser.newPage({ viewport: PHONE, colorScheme: 'light' });
    await light.goto(server.url);
    expect(await light.getAttribute('html', 'data-theme')).toBe('light');
    await light.close();
  });

  for (const viewport of [PHONE, DESKTOP]) {
    for (const scheme of ['light', 'dark'] as const) {
      const name = `${viewport === PHONE ? 'phone' : 'desktop'}-${scheme}`;
      it(`has no axe-core violation and controls of at least 3:1 contrast (${name})`, async () => {
        const page = await browser.newPage({ viewport, colorScheme: scheme });
        await page.goto(server.url);
        await page.locator('#examples .example').first().waitFor();
        expect(await axeViolations(page)).toEqual([]);

        await ask(page, 'Which companies did Nvidia pledge to cooperate with?');
        await ask(page, 'What is the capital of Australia?');
        expect(await axeViolations(page)).toEqual([]);
        const measured = await controlContrast(page);
        expect(measured.border).toBeGreaterThanOrEqual(3);
        expect(measured.focus).toBeGreaterThanOrEqual(3);
        expect(measured.chip).toBeGreaterThanOrEqual(3);

        await page.locator('.turn .chip').first().click();
        await page.locator('#source-text mark').first().waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `${name}-source-open`);
        await page.close();
      });
    }
  }
});

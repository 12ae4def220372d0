import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../core/contracts/types.js';
import { temporaryDir, engineText } from '../helpers/local-engine.js';
import {
  answerEvents,
  answeredWith,
  DESKTOP,
  finished,
  launchBrowser,
  markTexts,
  pageEngine,
  runBrowser,
  screenshot,
  startPageServer,
  type PageServer,
} from './page-harness.js';

// A Markdown document many times longer than one sources response (SOURCE_MAX_CHARS), cited far
// past the first response: the page must fetch the part around the citation, highlight it
// exactly, and fetch more only as the reader scrolls.

const LONG = 'harbour-ledger.md';
const SOURCE_MAX_CHARS = 8_000;
const ENTRIES = 150;
const CITED_ENTRY = 120;

/** Entry n: a heading, a paragraph and a two-item list, each naming n so every part is told apart. */
function ledger(): string {
  const entries = Array.from({ length: ENTRIES }, (_, i) => {
    const n = i + 1;
    return [
      `## Entry ${n}`,
      `On day ${n} the harbour master logged the arrivals. The pilot boarded vessel V-${String(n).padStart(4, '0')} at berth ${n % 40}. ` +
        `Tugs stood by while the tide turned, and the cargo of entry ${n} was checked against its manifest before it was released.`,
      `- crane ${n % 7} lifted the first containers\n- the gate logged truck ${n * 3}`,
    ].join('\n\n');
  });
  return `# Harbour Ledger\n\n${entries.join('\n\n')}\n`;
}

let server: PageServer;
let browser: Browser;
let text: string;
let answer: Answer;
const QUOTE = `The pilot boarded vessel V-0${CITED_ENTRY} at berth ${CITED_ENTRY % 40}.`;

async function openCitation(): Promise<{ page: Page; fetched: { url: string; characters: number }[] }> {
  const page = await browser.newPage({ viewport: DESKTOP });
  const fetched: { url: string; characters: number }[] = [];
  page.on('response', async (response) => {
    if (!response.url().includes(`/v1/sources/${LONG}`)) return;
    fetched.push({ url: response.url(), characters: ((await response.json()) as { text: string }).text.length });
  });
  await page.route('**/v1/answer', (route) =>
    route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream' }, body: answerEvents(answer) }),
  );
  await page.goto(server.url);
  await page.fill('#question', answer.question);
  await page.keyboard.press('Enter');
  await finished(page.locator('.turn').last());
  fetched.length = 0; // the empty page's overview reads the first page of a Markdown document for example questions
  await page.locator('.turn .chip').first().click();
  await expect.poll(() => markTexts(page)).toEqual([QUOTE]);
  return { page, fetched };
}

/** The entry numbers of the headings the panel shows, in order. */
async function shownEntries(page: Page): Promise<number[]> {
  const headings = await page.locator('#source-text .md-heading').allTextContents();
  return headings.flatMap((heading) => /^Entry (\d+)$/.exec(heading.trim())?.slice(1).map(Number) ?? []);
}

/** Where the highlight is on screen, read in the page at once (the panel may be re-rendered at any time). */
function markTop(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('#source-text mark')!.getBoundingClientRect().top);
}

describe.runIf(runBrowser)('chat page in Chromium: a citation far into a long document', () => {
  beforeAll(async () => {
    const docs = join(temporaryDir(), 'long');
    mkdirSync(docs);
    writeFileSync(join(docs, LONG), ledger());
    const engine = await pageEngine([docs]);
    server = await startPageServer({ engine: engine, sourceMaxChars: SOURCE_MAX_CHARS });
    browser = await launchBrowser();
    text = await engineText(engine, LONG);
    const start = text.indexOf(QUOTE);
    expect(start).toBeGreaterThan(SOURCE_MAX_CHARS * 4);
    const place = { path: LONG, url: null, headingPath: ['Harbour Ledger', `Entry ${CITED_ENTRY}`], page: null };
    const citation = {
      n: 1,
      docId: LONG,
      title: 'Harbour Ledger',
      chunkId: `${LONG}#0`,
      start,
      end: start + QUOTE.length,
      quote: QUOTE,
      verified: true,
      link: null,
    };
    answer = answeredWith({
      id: 'ans_long',
      question: `Which vessel did the pilot board on day ${CITED_ENTRY}?`,
      answer: `${QUOTE} [1]`,
      confidence: 0.9,
      citations: [{ ...citation, ...place }],
      passages: [
        {
          chunkId: citation.chunkId,
          docId: LONG,
          title: 'Harbour Ledger',
          start,
          end: start + 200,
          score: 1,
          text: text.slice(start, start + 200),
          ...place,
        },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('highlights a span past SOURCE_MAX_CHARS exactly, fetching only the part around it', async () => {
    const { page, fetched } = await openCitation();
    expect(await page.locator('#source-text mark').evaluate((mark) => mark.closest('p') !== null)).toBe(true);
    const entries = await shownEntries(page);
    expect(entries).toContain(CITED_ENTRY);
    expect(entries).not.toContain(1);
    // One ranged request around the span, within the cap; far less than the document.
    expect(fetched).toHaveLength(1);
    expect(fetched[0].url).toMatch(/[?&]around=\d+/);
    expect(fetched[0].characters).toBeLessThanOrEqual(SOURCE_MAX_CHARS);
    // The part starts at a heading: it renders as the whole document would.
    const first = (
      await page
        .locator('#source-text .md > *')
        .first()
        .evaluate((element) => element.tagName)
    ).toLowerCase();
    expect(first).toMatch(/^h\d$/);
    await screenshot(page, 'desktop-source-long-document');
    await page.close();
  });

  it('adds the text before and after as the reader scrolls to each edge, keeping the highlight in place', async () => {
    const { page, fetched } = await openCitation();
    const panel = page.locator('#source-text');
    const before = await shownEntries(page);

    // Scrolled to the top and measured in one step, before the text above can arrive.
    const top = await panel.evaluate((element) => {
      element.scrollTo({ top: 0 });
      return element.querySelector('mark')!.getBoundingClientRect().top;
    });
    await expect.poll(async () => Math.min(...(await shownEntries(page)))).toBeLessThan(Math.min(...before));
    expect(await markTexts(page)).toEqual([QUOTE]);
    // What the reader was looking at stays put while text is added above it.
    expect(Math.abs((await markTop(page)) - top)).toBeLessThan(2);

    await panel.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await expect.poll(async () => Math.max(...(await shownEntries(page)))).toBeGreaterThan(Math.max(...before));
    expect(await markTexts(page)).toEqual([QUOTE]);

    // Every fetch is a range within the cap; entries shown are consecutive (the parts join without a seam).
    expect(fetched.length).toBeGreaterThanOrEqual(3);
    for (const { url, characters } of fetched) {
      expect(url).toMatch(/[?&](around|start)=\d+/);
      expect(characters).toBeLessThanOrEqual(SOURCE_MAX_CHARS);
    }
    const shown = await shownEntries(page);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => shown[0] + i));
    expect(fetched.reduce((sum, { characters }) => sum + characters, 0)).toBeLessThan(text.length);
    await page.close();
  });

  it('fetches the earlier text with the button at the top too (keyboard readers)', async () => {
    const { page } = await openCitation();
    const before = Math.min(...(await shownEntries(page)));
    // Pressed where it is, without scrolling the panel to it (scrolling there fetches on its own).
    await page
      .locator('#source-text .source-more')
      .first()
      .evaluate((button: HTMLButtonElement) => button.click());
    await expect.poll(async () => Math.min(...(await shownEntries(page)))).toBeLessThan(before);
    expect(await markTexts(page)).toEqual([QUOTE]);
    await page.close();
  });
});

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSource } from '../../ingest/crawl/crawl-source.js';
import { ingestDocuments } from '../../ingest/ingest-documents.js';
import { DEFAULT_INGEST_LIMITS } from '../../ingest/ingest-limits.js';
import { loadSearchIndex } from '../../store/load-index.js';
import { startDocsSite, type DocsSite } from '../helpers/docs-site-server.js';
import { LOCAL_IDENTITY, localEmbeddings, localEngine, temporaryDir } from '../helpers/local-engine.js';
import { testCrawlSettings } from '../helpers/test-crawl-settings.js';
import { ask, DESKTOP, launchBrowser, markTexts, runBrowser, screenshot, startPageServer, type PageServer } from './page-harness.js';

const QUESTION = 'Which port does the harbour crane controller listen on by default?';
const QUOTE = 'The harbour crane controller listens on port 7070 by default, and on the port named by CRANE_PORT when it is set.';

let site: DocsSite;
let server: PageServer;
let browser: Browser;
let page: Page;

describe.runIf(runBrowser)('chat page in Chromium: a crawled page', () => {
  beforeAll(async () => {
    site = await startDocsSite();
    const start = `${site.origin}/docs/`;
    const indexDir = join(temporaryDir(), 'index');
    await ingestDocuments({
      sourceDir: start,
      load: crawlSource(start, { settings: testCrawlSettings(), limits: DEFAULT_INGEST_LIMITS }),
      indexDir,
      embeddings: localEmbeddings(),
      embedder: LOCAL_IDENTITY,
      chunking: { chunkSize: 400, chunkOverlap: 80 },
    });
    const engine = localEngine(await loadSearchIndex(indexDir, LOCAL_IDENTITY));
    server = await startPageServer({ engine });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(server.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await site?.close();
  });

  it('links each citation to the quote on the live page, and still shows the stored copy with the exact highlight', async () => {
    const turn = await ask(page, QUESTION);
    const link = `${site.origin}/docs/guide/install#:~:text=The%20harbour%20crane%20controller%20listens,CRANE_PORT%20when%20it%20is%20set.`;
    const beside = turn.locator('.chips .chip-link').first();
    expect(await beside.getAttribute('href')).toBe(link);
    expect(await beside.getAttribute('target')).toBe('_blank');
    expect(await beside.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await beside.getAttribute('aria-label')).toBe('Open source 1 on its page');

    await turn.locator('.chip').first().click();
    await expect.poll(() => markTexts(page)).toEqual([QUOTE]);
    const panelLink = page.locator('#source-link');
    expect(await panelLink.isVisible()).toBe(true);
    expect(await panelLink.getAttribute('href')).toBe(link);
    // The page's h1 is its title, shown above: the breadcrumb does not repeat it.
    expect(await page.textContent('#source-title')).toBe('Installing the controller');
    expect(await page.textContent('#source-place')).toBe(`${new URL(site.origin).host}/docs/guide/install › Start`);
    await screenshot(page, 'desktop-crawled-source');
  }, 60_000);

  it('opens the live page at the quote: Chromium finds the text the fragment names', async () => {
    const href = (await page.locator('#source-link').getAttribute('href'))!;
    const live = await browser.newPage({ viewport: { width: 800, height: 300 } });
    // Without the fragment the page opens at its top: the scroll below is the fragment's doing.
    await live.goto(href.split('#')[0]);
    expect(await live.evaluate(() => window.scrollY)).toBe(0);
    await live.goto(href);
    // The directive is consumed by the browser (not left in location.hash); the page scrolls to the quote.
    expect(await live.evaluate(() => location.hash)).toBe('');
    await expect.poll(() => live.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await screenshot(live, 'live-page-at-quote');
    await live.close();
  }, 30_000);
});

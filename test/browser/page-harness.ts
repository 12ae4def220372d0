import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { Engine } from '../../core/engine.js';
import type { Answer } from '../../core/contracts/types.js';
import type { SearchIndex } from '../../store/search-index.js';
import { createApp, type AppDependencies } from '../../server/create-app.js';
import { buildLocalIndex, localEngine, temporaryDir } from '../helpers/local-engine.js';
import { CORPUS_DIR, ROOT } from '../paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run), so there a missing browser fails; elsewhere the browser tests skip.
export const runBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';
export const PAGE_DOCS = `${ROOT}test/fixtures/page-docs`;
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
const OUTPUT = `${ROOT}test-output/chat-page`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** An engine over the bundled article plus the page fixtures (a Markdown guide with code and a table). */
export async function pageEngine(folders: string[] = [CORPUS_DIR, PAGE_DOCS]): Promise<Engine> {
  return localEngine(await pageIndex(folders));
}

/** The index pageEngine answers from. */
export async function pageIndex(folders: string[] = [CORPUS_DIR, PAGE_DOCS]): Promise<SearchIndex> {
  const docs = join(temporaryDir(), 'docs');
  for (const folder of folders) cpSync(folder, docs, { recursive: true });
  return buildLocalIndex(docs);
}

export interface PageServer {
  url: string;
  port: number;
  /** Stops it, dropping open connections as a crashed or stopped server would. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** Serves the app on 127.0.0.1 (a free port unless `port` is given). */
export async function startPageServer(deps: Partial<AppDependencies> & Pick<AppDependencies, 'engine'>, port = 0): Promise<PageServer> {
  const app = createApp({ limits: { maxQuestionChars: 2000, maxHistoryTurns: 8 }, ...deps });
  let server: Server;
  const listen = async (on: number) => {
    server = app.listen(on, '127.0.0.1');
    await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
    return (server.address() as AddressInfo).port;
  };
  const bound = await listen(port);
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    restart: async () => void (await listen(bound)),
  };
}

/** Writes a screenshot of the page's current state to test-output/chat-page/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: `${OUTPUT}/${name}.png` });
}

/** Types a question, sends it with Enter, and waits until its turn is finished (answered, refused, failed or stopped). */
export async function ask(page: Page, question: string): Promise<Locator> {
  const count = await page.locator('.turn').count();
  await page.fill('#question', question);
  await page.keyboard.press('Enter');
  const turn = page.locator('.turn').nth(count);
  await finished(turn);
  return turn;
}

/** Waits until a turn is no longer streaming (answered, refused, failed or stopped). */
export async function finished(turn: Locator): Promise<void> {
  await turn.locator('xpath=self::*[@data-state="finished"]').waitFor();
}

/** The texts of the <mark> elements in the source panel, in order. */
export function markTexts(page: Page): Promise<string[]> {
  return page.locator('#source-text mark').allTextContents();
}

/** WCAG contrast ratio of two CSS colours (rgb()/rgba() as getComputedStyle gives them). */
export function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** An answer as the stream of the API's events, so the page is tested on exactly what it would receive. */
export function answerEvents(whole: Answer): string {
  const events: [string, unknown][] = [
    ['passages', { passages: whole.passages, standaloneQuestion: whole.question }],
    ['delta', { text: whole.answer }],
    ...whole.citations.map((citation): [string, unknown] => ['citation', { citation }]),
    ['done', whole],
  ];
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

/** An extractive, answered Answer made of the given parts, the rest as the API fills it. */
export function answeredWith(parts: Pick<Answer, 'id' | 'question' | 'answer' | 'confidence' | 'citations' | 'passages'>): Answer {
  return {
    ...parts,
    standaloneQuestion: parts.question,
    answerable: true,
    reason: null,
    candidate: null,
    mode: 'extractive',
    notice: null,
    droppedCitations: 0,
    timings: { retrieveMs: 1, answerMs: 1, totalMs: 2 },
    generation: null,
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page as it is now (injected over CDP, which the page's CSP does not block). */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../store/index-files.js';
import { startDocsSite, type DocsSite } from '../../test/helpers/docs-site-server.js';
import { temporaryDir } from '../../test/helpers/local-engine.js';
import { runScript } from '../../test/helpers/run-script.js';

let site: DocsSite;

beforeAll(async () => {
  site = await startDocsSite();
});

afterAll(async () => {
  await site?.close();
});

/** `npm run ingest` in its own process, as a user runs it, with settings for a site on loopback. */
const ingest = (args: string[], env: Record<string, string> = {}) =>
  runScript('ingest/main.ts', args, {
    CRAWL_ALLOW_PRIVATE: '1',
    CRAWL_DELAY_MS: '0',
    CRAWL_TIMEOUT_MS: '2000',
    CRAWL_MAX_PAGE_SIZE: '200kb',
    ...env,
  });

describe('npm run ingest -- <URL>', () => {
  it('crawls the site into --out, lists every page it skipped with the reason, and answers with links to the quotes', async () => {
    const out = join(temporaryDir(), 'crawled');
    const { code, out: stdout, err } = await ingest([`${site.origin}/docs/`, '--out', out, '--exclude', '/docs/readme.txt']);
    expect(code).toBe(0);
    expect(err).toContain(`Crawling ${site.origin}/docs/ -> ${out}`);
    expect(err).toContain(`  skipped ${site.origin}/docs/missing: HTTP 404\n`);
    expect(err).toContain(`  skipped ${site.origin}/docs/private/secret: disallowed by robots.txt\n`);
    expect(err).toContain(`  skipped ${site.origin}/docs/readme.txt: excluded by the pattern /docs/readme.txt (CRAWL_EXCLUDE)\n`);
    expect(stdout).toMatch(
      /^Indexed 8 documents, \d+ chunks in [\d.]+ s \(\d+ chunks embedded, 0 unchanged documents reused, 0 removed, 9 pages skipped\)/,
    );
    expect((await readManifest(out)).sourceDir).toBe(`${site.origin}/docs/`);

    const asked = await runScript('ask/main.ts', ['--index', out, 'Which port does the harbour crane controller listen on by default?']);
    expect(asked.code).toBe(0);
    expect(asked.out).toContain(`\n    ${site.origin}/docs/guide/install#:~:text=The%20harbour%20crane%20controller%20listens,`);
  }, 60_000);

  it('refuses a private address by default: one clear line, no stack trace, no index written', async () => {
    const out = join(temporaryDir(), 'refused');
    const { code, err } = await ingest([`${site.origin}/docs/`, '--out', out], { CRAWL_ALLOW_PRIVATE: '' });
    expect(code).toBe(2);
    expect(err).toContain(`Refused ${site.origin}/docs/: 127.0.0.1 is a loopback address.`);
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'CURRENT'))).toBe(false);
  }, 60_000);

  it('says what is wrong with a bad setting or option', async () => {
    const bad = await ingest([`${site.origin}/docs/`], { CRAWL_MAX_PAGES: 'many' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('CRAWL_MAX_PAGES="many": must be a whole number');
    const folder = await ingest(['corpus', '--include', '/x/**']);
    expect(folder.code).toBe(2);
    expect(folder.err).toContain('--include and --exclude go with a URL to crawl, not a folder');
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../config/load-config.js';
import { SETTING_DOCS } from '../config/setting-docs.js';
import { ROOT } from '../test/paths.js';
import { brokenDocLinks, headingAnchor, missingProjectFiles } from './broken-doc-links.js';
import { envExampleDrift, findDocDrift, unknownSettingMentions } from './find-doc-drift.js';
import { renderConfigurationDoc } from './render-configuration-doc.js';

describe('documentation drift', () => {
  it('finds none in this repository: configuration page current, .env.example and every named setting match the schema', () => {
    expect(findDocDrift(ROOT)).toEqual([]);
  });

  it('documents every setting the schema knows, and no other', () => {
    expect(Object.keys(SETTING_DOCS).sort()).toEqual(Object.keys(settingsSchema.shape).sort());
  });

  it('renders each setting once, with the default as written and what the schema accepts', () => {
    const page = renderConfigurationDoc();
    for (const name of Object.keys(settingsSchema.shape)) expect(page.split(`| \`${name}\` |`)).toHaveLength(2);
    expect(page).toContain('| `PORT` | `3000` | whole number 0–65535 | HTTP port. |');
    expect(page).toContain('| `INGEST_MAX_FILE_SIZE` | `50mb` | a size: `512kb`, `50mb`, `1gb` |');
    expect(page).toContain('| `REINGEST` | `off` | `off`, `auto` |');
    expect(page).toContain('| `WORKERS` | one per core | whole number 1–64 |');
  });

  it('names a setting-looking variable the schema does not know, wherever it is written', () => {
    const files = [
      {
        path: 'README.md',
        text: 'Set `SLACK_BOT_TOKN` and `PORT`.\nThen WORKER=2 npm start, or $LOGLEVEL.\nAn API over HTTP, BM25 and `README`.',
      },
      { path: 'docs/x.md', text: '```sh\nCI=true BENCH_QUICK=1 npm run bench\n```\n`HOSTNAME` is not one.' },
    ];
    expect(unknownSettingMentions(files)).toEqual([
      'README.md:1 mentions SLACK_BOT_TOKN, which is not a setting (config/load-config.ts) nor in tools/non-setting-names.ts',
      'README.md:2 mentions WORKER, which is not a setting (config/load-config.ts) nor in tools/non-setting-names.ts',
      'README.md:2 mentions LOGLEVEL, which is not a setting (config/load-config.ts) nor in tools/non-setting-names.ts',
      'docs/x.md:4 mentions HOSTNAME, which is not a setting (config/load-config.ts) nor in tools/non-setting-names.ts',
    ]);
  });

  it('holds .env.example to the schema: nothing unknown, nothing missing, nothing twice, no environment-only setting', () => {
    const docs = { PORT: {}, HOST: {}, ENV_FILE: { environmentOnly: true as const } };
    expect(envExampleDrift('# ENV_FILE=x in a comment is fine\nPORT=3000\nHOST=\n', docs)).toEqual([]);
    expect(envExampleDrift('PORT=1\nPORT=2\nPORTS=3\nENV_FILE=.env\n', docs)).toEqual([
      '.env.example sets PORT twice',
      '.env.example sets PORTS, which is not a setting (config/load-config.ts)',
      '.env.example sets ENV_FILE, which only the environment itself can set',
      '.env.example does not list HOST',
    ]);
  });

  it('finds links to files or headings that do not exist, and none inside code', () => {
    expect(headingAnchor('Limits and failure behaviour')).toBe('limits-and-failure-behaviour');
    expect(headingAnchor('`POST /v1/answer`')).toBe('post-v1answer');
    const files = [
      {
        path: 'docs/x.md',
        text: [
          '[ok](limits.md#limits-and-failure-behaviour) [ok](../README.md#quick-start) [web](https://example.com/a#b)',
          '[gone](limits.md#no-such-heading) [missing](nowhere.md) [self](#nor-this)',
          '```md\n[in code](nowhere.md)\n```',
        ].join('\n'),
      },
    ];
    expect(brokenDocLinks(ROOT, files)).toEqual([
      'docs/x.md links to limits.md#no-such-heading, which does not exist',
      'docs/x.md links to nowhere.md, which does not exist',
      'docs/x.md links to #nor-this, which does not exist',
    ]);
  });

  it('names project files the docs mention that do not exist, and leaves example paths alone', () => {
    const files = [
      {
        path: 'docs/x.md',
        text: '`core/engine.ts` and `core/answer-question.ts`; `express/README.md`, `guide.md`, `test/browser/*.e2e.test.ts`',
      },
    ];
    expect(missingProjectFiles(ROOT, files)).toEqual(['docs/x.md names core/answer-question.ts, which does not exist']);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../paths.js';
import { ALLOWED_IMPORTS, forbiddenImports, renderAllowedImports } from './allowed-imports.js';
import { importsOf, pagePackageImports, readFolderImports } from './read-imports.js';

describe('dependency direction', () => {
  it('every import between folders is in the allowed table', () => {
    const imports = readFolderImports(ROOT);
    expect(imports.length).toBeGreaterThan(100);
    expect(forbiddenImports(imports)).toEqual([]);
  });

  it('fails on a deliberately wrong import: static, type-only, dynamic or re-export', () => {
    const wrong = importsOf(
      'core/answer/answer-question.ts',
      [
        "import { createApp } from '../../server/create-app.js';",
        "import type { Config } from '../../config/load-config.js';",
        "const store = await import('../../store/search-index.js');",
        "export { renderSlack } from '../../slack/render-slack.js';",
        "import { cosine } from '../units/score-units.js';",
        "import express from 'express';",
      ].join('\n'),
    );
    expect(forbiddenImports(wrong)).toEqual([
      'core/answer/answer-question.ts imports ../../server/create-app.js (core/answer → server, not in the allowed table)',
      'core/answer/answer-question.ts imports ../../config/load-config.js (core/answer → config, not in the allowed table)',
      'core/answer/answer-question.ts imports ../../store/search-index.js (core/answer → store, not in the allowed table)',
      'core/answer/answer-question.ts imports ../../slack/render-slack.js (core/answer → slack, not in the allowed table)',
    ]);
    // A stage may not reach forward into a later one.
    expect(
      forbiddenImports(importsOf('core/units/score-units.ts', "import { composeAnswer } from '../answer/compose-answer.js';")),
    ).toEqual(['core/units/score-units.ts imports ../answer/compose-answer.js (core/units → core/answer, not in the allowed table)']);
    expect(forbiddenImports(importsOf('store/search-index.ts', "import { x } from '../test/fakes/x.js';"))).toHaveLength(1);
  });

  it("holds the chat page's browser code to its own modules and core's types", () => {
    const page = (text: string) => forbiddenImports(importsOf('server/public/turn-view.ts', text));
    expect(page("import type { Answer } from '../../core/contracts/types.js';")).toEqual([]);
    expect(page("import { type Answer, type Citation } from '../../core/contracts/types.js';")).toEqual([]);
    expect(page("import { part } from './dom.js';")).toEqual([]);
    expect(page("import { describePlace } from '../../core/chunks/describe-place.js';")).toEqual([
      'server/public/turn-view.ts imports ../../core/chunks/describe-place.js (server/public → core/chunks, allowed for types only: use import type)',
    ]);
    expect(page("import { createApp } from '../create-app.js';")).toEqual([
      'server/public/turn-view.ts imports ../create-app.js (server/public → server, not in the allowed table)',
    ]);
    expect(forbiddenImports(importsOf('server/create-app.ts', "import { byId } from './public/dom.js';"))).toHaveLength(1);
  });

  it('the page imports no package at run time but the parser its vendor module bundles', () => {
    expect(readFolderImports(ROOT).filter((edge) => edge.from === 'server/public').length).toBeGreaterThan(10);
    expect(pagePackageImports(ROOT)).toEqual(['server/public/vendor/lezer-markdown.ts imports @lezer/markdown']);
  });

  it('has no cycle: dependencies flow one way', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const visit = (folder: string, path: string[]): void => {
      if (done.has(folder)) return;
      if (visiting.has(folder)) throw new Error(`cycle: ${[...path, folder].join(' → ')}`);
      visiting.add(folder);
      for (const target of ALLOWED_IMPORTS[folder] ?? []) visit(target, [...path, folder]);
      visiting.delete(folder);
      done.add(folder);
    };
    for (const folder of Object.keys(ALLOWED_IMPORTS)) visit(folder, []);
  });

  it('is the table docs/architecture.md prints', () => {
    expect(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')).toContain(renderAllowedImports());
  });
});

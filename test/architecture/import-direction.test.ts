import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../paths.js';
import { ALLOWED_IMPORTS, forbiddenImports, renderAllowedImports } from './allowed-imports.js';
import { importsOf, readFolderImports } from './read-imports.js';

describe('dependency direction', () => {
  it('every import between folders is in the allowed table', () => {
    const imports = readFolderImports(ROOT);
    expect(imports.length).toBeGreaterThan(100);
    expect(forbiddenImports(imports)).toEqual([]);
  });

  it('fails on a deliberately wrong import: static, type-only, dynamic or re-export', () => {
    const wrong = importsOf(
      'core/answer-question.ts',
      [
        "import { createApp } from '../server/create-app.js';",
        "import type { Config } from '../config/load-config.js';",
        "const store = await import('../store/search-index.js');",
        "export { renderSlack } from '../slack/render-slack.js';",
        "import { cosine } from './score-sentences.js';",
        "import express from 'express';",
      ].join('\n'),
    );
    expect(forbiddenImports(wrong)).toEqual([
      'core/answer-question.ts imports ../server/create-app.js (core → server, not in the allowed table)',
      'core/answer-question.ts imports ../config/load-config.js (core → config, not in the allowed table)',
      'core/answer-question.ts imports ../store/search-index.js (core → store, not in the allowed table)',
      'core/answer-question.ts imports ../slack/render-slack.js (core → slack, not in the allowed table)',
    ]);
    expect(forbiddenImports(importsOf('store/search-index.ts', "import { x } from '../test/fakes/x.js';"))).toHaveLength(1);
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

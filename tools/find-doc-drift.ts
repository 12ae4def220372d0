import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SETTING_DOCS } from '../config/setting-docs.js';
import { brokenDocLinks, missingProjectFiles } from './broken-doc-links.js';
import { NON_SETTING_NAMES } from './non-setting-names.js';
import { renderConfigurationDoc } from './render-configuration-doc.js';

/** A Markdown (or .env) file as read, named by its path from the project root. */
export interface DocFile {
  path: string;
  text: string;
}

const SETTINGS = new Set<string>(Object.keys(SETTING_DOCS));

/**
 * Where a name reads as an environment variable: with an underscore (`SLACK_BOT_TOKEN`), or a
 * single word assigned (`PORT=3000`), expanded (`$PORT`) or alone in backticks (`` `PORT` ``).
 * Plain capitalised words (API, HTTP, BM25) are none of these.
 */
const VARIABLE_PATTERNS = [
  /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g,
  /\b[A-Z][A-Z0-9]+(?==)/g,
  /\$\{?([A-Z][A-Z0-9]+)\b/g,
  /`([A-Z][A-Z0-9]+)`/g,
];

/** Every mention of an environment-variable-like name that is neither a setting nor a known non-setting. */
export function unknownSettingMentions(files: DocFile[], known: ReadonlySet<string> = SETTINGS): string[] {
  return files.flatMap((file) =>
    file.text.split('\n').flatMap((line, index) => {
      const names = new Set(VARIABLE_PATTERNS.flatMap((pattern) => [...line.matchAll(pattern)].map((match) => match[1] ?? match[0])));
      return [...names]
        .filter((name) => !known.has(name) && !NON_SETTING_NAMES.has(name))
        .map(
          (name) =>
            `${file.path}:${index + 1} mentions ${name}, which is not a setting (config/load-config.ts) nor in tools/non-setting-names.ts`,
        );
    }),
  );
}

/** .env.example must assign every setting a settings file can set, once, and nothing else. */
export function envExampleDrift(text: string, docs: Record<string, { environmentOnly?: true }> = SETTING_DOCS): string[] {
  const assigned = text
    .split('\n')
    .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of assigned) {
    if (seen.has(name)) problems.push(`.env.example sets ${name} twice`);
    seen.add(name);
    if (!(name in docs)) problems.push(`.env.example sets ${name}, which is not a setting (config/load-config.ts)`);
    else if (docs[name].environmentOnly) problems.push(`.env.example sets ${name}, which only the environment itself can set`);
  }
  for (const [name, doc] of Object.entries(docs)) {
    if (!doc.environmentOnly && !seen.has(name)) problems.push(`.env.example does not list ${name}`);
  }
  return problems;
}

/** The Markdown a reader sees: README.md and every file under docs/. */
export function readDocFiles(root: string): DocFile[] {
  const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' }) : [];
  return ['README.md', ...docs.filter((path) => path.endsWith('.md')).map((path) => `docs/${path}`)]
    .sort()
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

/** Everything `npm run docs:check` reports: a stale configuration page, .env.example drift, unknown names, broken links, moved files. */
export function findDocDrift(root: string): string[] {
  const configurationPath = join(root, 'docs/configuration.md');
  const committed = existsSync(configurationPath) ? readFileSync(configurationPath, 'utf8') : '';
  const stale = committed === renderConfigurationDoc() ? [] : ['docs/configuration.md is stale: run npm run docs:config'];
  const envExample = readFileSync(join(root, '.env.example'), 'utf8');
  const files = [...readDocFiles(root), { path: '.env.example', text: envExample }];
  return [
    ...stale,
    ...envExampleDrift(envExample),
    ...unknownSettingMentions(files),
    ...brokenDocLinks(root, readDocFiles(root)),
    ...missingProjectFiles(root, readDocFiles(root)),
  ];
}

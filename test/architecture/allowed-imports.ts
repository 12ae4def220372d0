import type { FolderImport } from './read-imports.js';

/**
 * The architecture: which top-level folders the production code of each folder may import.
 * Dependencies flow one way (the table has no cycle). Tests (`*.test.ts`, `test/`) sit on top
 * and may import anything; nothing else may import them. README.md prints this table.
 */
export const ALLOWED_IMPORTS: Record<string, string[]> = {
  core: ['prompts'],
  prompts: [],
  config: [],
  cli: [],
  store: ['core'],
  embeddings: ['core', 'config'],
  models: ['core'],
  ingest: ['core', 'store', 'embeddings', 'config', 'cli'],
  runtime: ['core', 'store', 'embeddings', 'models', 'ingest', 'config'],
  eval: ['core', 'runtime', 'config', 'cli'],
  slack: ['core', 'config', 'cli'],
  mcp: ['core', 'runtime', 'config', 'cli'],
  ask: ['core', 'runtime', 'config', 'cli'],
  server: ['core', 'runtime', 'store', 'slack', 'mcp', 'config'],
  // The chat page, run by the browser: it imports the Answer's types and nothing that runs on the server.
  'server/public': ['core'],
  bench: ['core', 'store', 'embeddings', 'ingest', 'runtime', 'eval', 'config', 'cli'],
  examples: [],
  '.': [],
};

/** Edges allowed only for types (erased when the page is served): the browser cannot run core's code. */
export const TYPES_ONLY: Record<string, string[]> = { 'server/public': ['core'] };

/** Whether a file is a test, which may import anything. */
export function isTestFile(file: string): boolean {
  return file.endsWith('.test.ts') || file.startsWith('test/');
}

/** The imports that break the table, each as "file imports specifier (from → to)". */
export function forbiddenImports(imports: FolderImport[], allowed = ALLOWED_IMPORTS, typesOnly = TYPES_ONLY): string[] {
  return imports
    .filter((edge) => !isTestFile(edge.file) && edge.from !== edge.to)
    .flatMap((edge) => {
      if (!(allowed[edge.from] ?? []).includes(edge.to))
        return [`${edge.file} imports ${edge.specifier} (${edge.from} → ${edge.to}, not in the allowed table)`];
      if ((typesOnly[edge.from] ?? []).includes(edge.to) && !edge.typeOnly)
        return [`${edge.file} imports ${edge.specifier} (${edge.from} → ${edge.to}, allowed for types only: use import type)`];
      return [];
    });
}

/** The table as README.md prints it. */
export function renderAllowedImports(allowed = ALLOWED_IMPORTS, typesOnly = TYPES_ONLY): string {
  const rows = Object.entries(allowed).map(
    ([folder, targets]) =>
      `| \`${folder === '.' ? '(root files)' : `${folder}/`}\` | ${
        targets.map((t) => `\`${t}/\`${(typesOnly[folder] ?? []).includes(t) ? ' (types only)' : ''}`).join(', ') || '—'
      } |`,
  );
  return ['| folder | may import |', '|---|---|', ...rows].join('\n');
}

import type { FolderImport } from './read-imports.js';

/**
 * The architecture: which top-level folders the production code of each folder may import.
 * Dependencies flow one way (the table has no cycle). Tests (`*.test.ts`, `test/`) sit on top
 * and may import anything; nothing else may import them. docs/architecture.md prints this table.
 */
export const ALLOWED_IMPORTS: Record<string, string[]> = {
  // core/ in stages: a question is parsed and analysed, chunks retrieved, units cut and scored,
  // evidence measured, citations verified, the answer composed; core/engine.ts assembles them.
  'core/contracts': [],
  'core/text': [],
  'core/chunks': ['core/contracts', 'core/text'],
  'core/question': ['core/contracts', 'core/text'],
  'core/retrieve': ['core/contracts', 'core/text', 'core/chunks', 'core/question'],
  'core/units': ['core/contracts', 'core/text', 'core/question'],
  'core/evidence': ['core/contracts', 'core/text', 'core/question', 'core/units'],
  'core/citations': ['core/contracts', 'core/text', 'core/chunks'],
  'core/answer': [
    'core/contracts',
    'core/text',
    'core/chunks',
    'core/question',
    'core/retrieve',
    'core/units',
    'core/evidence',
    'core/citations',
    'prompts',
  ],
  core: ['core/contracts', 'core/question', 'core/retrieve', 'core/evidence', 'core/answer'],
  prompts: [],
  config: [],
  cli: [],
  store: ['core'],
  embeddings: ['core', 'config'],
  models: ['core'],
  ingest: ['core', 'store', 'embeddings', 'config', 'cli'],
  runtime: ['core', 'store', 'embeddings', 'models', 'ingest', 'config'],
  eval: ['core', 'runtime', 'config', 'cli'],
  // store: feedback:export reads the presses replicas recorded in the database (STORE=postgres).
  slack: ['core', 'store', 'config', 'cli'],
  mcp: ['core', 'runtime', 'config', 'cli'],
  ask: ['core', 'runtime', 'config', 'cli'],
  server: ['core', 'runtime', 'store', 'slack', 'mcp', 'config'],
  // The chat page, run by the browser: it imports the Answer's types and nothing that runs on the server.
  'server/public': ['core'],
  bench: ['core', 'store', 'embeddings', 'ingest', 'runtime', 'eval', 'config', 'cli', 'db'],
  tools: ['config', 'cli'],
  // npm run db:migrate and npm run db:embedded.
  db: ['core', 'store', 'config', 'cli'],
  examples: [],
  '.': [],
};

/** Edges allowed only for types (erased when the page is served): the browser cannot run core's code. */
export const TYPES_ONLY: Record<string, string[]> = { 'server/public': ['core'] };

/** Whether a file is a test, which may import anything. */
export function isTestFile(file: string): boolean {
  return file.endsWith('.test.ts') || file.startsWith('test/');
}

/** Whether `from` may import `to`; a folder outside core that may import `core` may import any of its stages. */
function allowedEdge(from: string, to: string, allowed: Record<string, string[]>): boolean {
  const targets = allowed[from] ?? [];
  return targets.includes(to) || (!from.startsWith('core') && to.startsWith('core/') && targets.includes('core'));
}

/** The imports that break the table, each as "file imports specifier (from → to)". */
export function forbiddenImports(imports: FolderImport[], allowed = ALLOWED_IMPORTS, typesOnly = TYPES_ONLY): string[] {
  return imports
    .filter((edge) => !isTestFile(edge.file) && edge.from !== edge.to)
    .flatMap((edge) => {
      if (!allowedEdge(edge.from, edge.to, allowed))
        return [`${edge.file} imports ${edge.specifier} (${edge.from} → ${edge.to}, not in the allowed table)`];
      const typed = typesOnly[edge.from] ?? [];
      if ((typed.includes(edge.to) || typed.some((target) => edge.to.startsWith(`${target}/`))) && !edge.typeOnly)
        return [`${edge.file} imports ${edge.specifier} (${edge.from} → ${edge.to}, allowed for types only: use import type)`];
      return [];
    });
}

/** The table as docs/architecture.md prints it. */
export function renderAllowedImports(allowed = ALLOWED_IMPORTS, typesOnly = TYPES_ONLY): string {
  const rows = Object.entries(allowed).map(
    ([folder, targets]) =>
      `| \`${folder === '.' ? '(root files)' : `${folder}/`}\` | ${
        targets.map((t) => `\`${t}/\`${(typesOnly[folder] ?? []).includes(t) ? ' (types only)' : ''}`).join(', ') || '—'
      } |`,
  );
  return ['| folder | may import |', '|---|---|', ...rows].join('\n');
}

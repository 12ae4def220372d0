import type { EvalCase } from './load-cases.js';

/** The documents the cases name that an index does not hold, and how many cases name them. */
export interface MissingDocuments {
  /** Named documents not in the index, in the order the cases first name them. */
  missing: string[];
  /** Cases naming one of them. */
  cases: number;
  /** Cases naming any document. */
  named: number;
  /** Whether some named document is in the index. */
  anyHeld: boolean;
}

/**
 * Which of the documents the cases name (`doc`) the index does not hold, matched by id or path,
 * or by the end of a path (a case may name `guide.md` for `docs/guide.md`). Run before the cases,
 * so a run against the wrong index says so instead of failing most cases without a hint.
 */
export function missingDocuments(cases: EvalCase[], held: { docId: string; path: string }[]): MissingDocuments {
  const names = new Set(held.flatMap((document) => [document.docId, document.path]));
  const holds = (doc: string) => names.has(doc) || held.some((document) => document.path.endsWith(`/${doc}`));
  const missing = new Set<string>();
  let affected = 0;
  let named = 0;
  let anyHeld = false;
  for (const testCase of cases) {
    if (!testCase.doc) continue;
    named++;
    if (holds(testCase.doc)) {
      anyHeld = true;
      continue;
    }
    missing.add(testCase.doc);
    affected++;
  }
  return { missing: [...missing], cases: affected, named, anyHeld };
}

/** What to say about them: which index lacks what, where it was built from, and the two ways to fix it. */
export function describeMissingDocuments(found: MissingDocuments, where: string, sourceFolder: string | null): string {
  const shown = found.missing.slice(0, 5).join(', ') + (found.missing.length > 5 ? ` and ${found.missing.length - 5} more` : '');
  return [
    `${found.cases} of ${found.named} cases name documents that ${where} does not hold: ${shown}.`,
    sourceFolder ? `That index was built from ${sourceFolder}.` : '',
    'Give the folder of the documents the cases were written for with --docs FOLDER (a temporary index is built from it),',
    'or the index built from them with --index DIR (or INDEX_DIR).',
  ]
    .filter(Boolean)
    .join(' ');
}

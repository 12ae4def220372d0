import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import type { DocFile } from './find-doc-drift.js';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text without code blocks and inline code, where a link is only an example. */
function withoutCode(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

function anchorsOf(text: string): Set<string> {
  const outsideCode = text.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...outsideCode.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => headingAnchor(match[1])));
}

/**
 * Relative links (`[x](docs/limits.md#anchor)`, `[x](#anchor)`) whose file or heading does not
 * exist: moving text between README.md and docs/ must not leave a reader at a dead end.
 */
export function brokenDocLinks(root: string, files: DocFile[]): string[] {
  return files.flatMap((file) =>
    [...withoutCode(file.text).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1])
      .filter((target) => !/^[a-z]+:/i.test(target))
      .filter((target) => {
        const [path, anchor] = target.split('#');
        const resolved = path === '' ? file.path : normalize(join(dirname(file.path), path));
        const absolute = join(root, resolved);
        if (!existsSync(absolute)) return true;
        if (anchor === undefined || !resolved.endsWith('.md')) return false;
        return !anchorsOf(readFileSync(absolute, 'utf8')).has(anchor);
      })
      .map((target) => `${file.path} links to ${target}, which does not exist`),
  );
}

/** Top-level folders of this repository: a backticked path starting with one names a project file. */
const PROJECT_FOLDERS =
  /^(ask|bench|cli|config|core|embeddings|eval|examples|ingest|mcp|models|prompts|runtime|server|slack|store|test|tools)\/[\w./-]+\.(ts|js|mjs|json|jsonl)$/;

/** Project files the docs name in backticks (`core/engine.ts`) that do not exist: a file moved, the docs did not. */
export function missingProjectFiles(root: string, files: DocFile[]): string[] {
  return files.flatMap((file) =>
    [...file.text.matchAll(/`([^`\s]+)`/g)]
      .map((match) => match[1])
      .filter((path) => PROJECT_FOLDERS.test(path) && !path.includes('*') && !existsSync(join(root, path)))
      .map((path) => `${file.path} names ${path}, which does not exist`),
  );
}

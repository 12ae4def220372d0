import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

/** An import of one project file by another, as the folders (top-level) they sit in. */
export interface FolderImport {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

/**
 * Every relative import (static, dynamic, type-only, re-export) in the project's .ts files, read
 * with TypeScript's own pre-processor rather than a regular expression, mapped to top-level folders.
 */
export function readFolderImports(root: string): FolderImport[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('.ts') && !file.startsWith('node_modules/'));
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      return []; // deleted in the working tree
    }
    return importsOf(file, text);
  });
}

/** The relative imports of one file's text, as folder edges. */
export function importsOf(file: string, text: string): FolderImport[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({
      file,
      specifier,
      from: folderOf(file),
      to: folderOf(relative('.', normalize(join(dirname(file), specifier)))),
    }));
}

/**
 * The folder of a project path the table knows: its top-level folder ("." for files at the root),
 * or, inside core/, its stage folder (`core/units`); core's own root files are `core`.
 */
export function folderOf(path: string): string {
  const parts = path.split(/[\\/]/);
  if (parts[0] === 'core' && parts.length > 2) return `core/${parts[1]}`;
  return parts.length > 1 ? parts[0] : '.';
}

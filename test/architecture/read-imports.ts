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
  /** Only types are imported (`import type`, or every name marked `type`): nothing of it runs. */
  typeOnly: boolean;
}

/** The chat page's code runs in the browser: a folder of its own in the table, inside server/. */
const PAGE_FOLDER = 'server/public';

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
  const typeOnly = typeOnlySpecifiers(file, text);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({
      file,
      specifier,
      from: folderOf(file),
      to: folderOf(relative('.', normalize(join(dirname(file), specifier)))),
      typeOnly: typeOnly.has(specifier),
    }));
}

/**
 * Packages the page's modules import at run time (type-only imports are erased when served): a
 * browser resolves no bare name, so only a vendor module, which the server bundles, may have one.
 */
export function pagePackageImports(root: string): string[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', `${PAGE_FOLDER}/*.ts`], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return files.flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const typeOnly = typeOnlySpecifiers(file, text);
    return ts
      .preProcessFile(text, true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((specifier) => !specifier.startsWith('.') && !typeOnly.has(specifier))
      .map((specifier) => `${file} imports ${specifier}`);
  });
}

/** Specifiers that a file imports or re-exports types from, and nothing else. */
function typeOnlySpecifiers(file: string, text: string): Set<string> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const types = new Set<string>();
  const values = new Set<string>();
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) {
      if (!ts.isStringLiteral(statement.moduleSpecifier)) continue;
      (isTypeOnly(statement) ? types : values).add(statement.moduleSpecifier.text);
    }
  }
  return new Set([...types].filter((specifier) => !values.has(specifier)));
}

function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) {
    const clause = statement.exportClause;
    return statement.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.every((element) => element.isTypeOnly));
  }
  const clause = statement.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    !clause.name &&
    !!named &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((element) => element.isTypeOnly)
  );
}

/**
 * The folder of a project path the table knows: its top-level folder ("." for files at the root),
 * or, inside core/, its stage folder (`core/units`); core's own root files are `core`; the page's
 * browser code is `server/public`.
 */
export function folderOf(path: string): string {
  const parts = path.split(/[\\/]/);
  if (parts[0] === 'core' && parts.length > 2) return `core/${parts[1]}`;
  if (parts.length > 2 && `${parts[0]}/${parts[1]}` === PAGE_FOLDER) return PAGE_FOLDER;
  return parts.length > 1 ? parts[0] : '.';
}

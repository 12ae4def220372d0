// Installs bench/'s own packages (bench/package.json) when they are missing or older than its
// lockfile. They stay out of the root install because better-sqlite3 compiles SQLite for minutes
// where no prebuilt binary can be downloaded, and only the benchmark needs it.
//   node --import tsx bench/ensure-bench-packages.ts           everything npm run bench needs
//   node --import tsx bench/ensure-bench-packages.ts --types   the packages without their install
//                                                              scripts: enough for the type check
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT, runCli } from '../cli/run-cli.js';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
/** npm ci writes this last, so its presence means a whole install; older than the lockfile, a stale one. */
const INSTALLED = `${BENCH}node_modules/.package-lock.json`;
const NATIVE = `${BENCH}node_modules/better-sqlite3/build/Release/better_sqlite3.node`;

/** Runs npm ci in bench/ when its packages are missing, stale, or (unless typesOnly) not compiled. */
export function ensureBenchPackages(typesOnly: boolean): void {
  const current = existsSync(INSTALLED) && statSync(INSTALLED).mtimeMs >= statSync(`${BENCH}package-lock.json`).mtimeMs;
  if (current && (typesOnly || existsSync(NATIVE))) return;
  console.error(
    `Installing bench/'s packages${typesOnly ? ' for the type check (no compiling)' : ' (once; better-sqlite3 may compile for a few minutes)'}...`,
  );
  const args = ['ci', '--no-audit', '--no-fund', ...(typesOnly ? ['--ignore-scripts'] : [])];
  const result = spawnSync('npm', args, { cwd: BENCH, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm ci in bench/ failed (exit ${result.status ?? result.signal})`);
}

runCli({
  name: 'bench packages',
  usage: 'usage: node --import tsx bench/ensure-bench-packages.ts [--types]',
  main: async () => {
    ensureBenchPackages(process.argv.includes('--types'));
    return EXIT.ok;
  },
});

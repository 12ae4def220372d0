// npm run docs:check (CI): fails when docs/configuration.md is stale, when .env.example and the
// settings schema disagree, when README.md or docs/ name a setting the schema does not know, or
// when they link to a file or heading that does not exist.
import { fileURLToPath } from 'node:url';
import { EXIT, runCli } from '../cli/run-cli.js';
import { findDocDrift } from './find-doc-drift.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

runCli({
  name: 'docs:check',
  usage: 'usage: npm run docs:check',
  main: async () => {
    const problems = findDocDrift(ROOT);
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) return EXIT.checkFailed;
    console.error(
      'docs: configuration page current, .env.example and every setting named in the docs match the schema, every link resolves',
    );
    return EXIT.ok;
  },
});

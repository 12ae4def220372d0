import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/read-environment.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { FeedbackStore, notHelpfulCases } from './feedback-store.js';

const USAGE = 'usage: npm run feedback:export -- [--out FILE]   (default: print the cases)';

/** Writes the answers marked "not helpful" in Slack as eval cases (JSON lines) for review. */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(readEnvironment());
  const store = new FeedbackStore(resolve(config.FEEDBACK_FILE));
  const cases = notHelpfulCases(await store.readAll());
  const lines = cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length ? '\n' : '');
  if (values.out) {
    await writeFile(values.out, lines);
    console.error(`Wrote ${cases.length} case(s) marked not helpful to ${values.out}; add must_include, contexts and answer before using them in CI.`);
  } else {
    process.stdout.write(lines);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : `Export failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);

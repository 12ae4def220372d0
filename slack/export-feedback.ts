import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/read-environment.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { databaseSettings } from '../config/database-settings.js';
import { loadConfig } from '../config/load-config.js';
import { openCheckedDatabase } from '../store/postgres/open-checked-database.js';
import { DatabaseFeedbackStore } from '../store/postgres/shared/database-feedback-store.js';
import { FeedbackStore, notHelpfulCases } from './feedback-store.js';

const USAGE = 'usage: npm run feedback:export -- [--out FILE]   (default: print the cases)';

/** Writes the answers marked "not helpful" in Slack as eval cases (JSON lines) for review. */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const config = loadConfig(readEnvironment());
  // With STORE=postgres every replica recorded its presses in the database, not a file.
  const database =
    config.STORE === 'postgres' ? await openCheckedDatabase(databaseSettings(config, 'verbatim feedback:export')) : undefined;
  const store = database ? new DatabaseFeedbackStore(database) : new FeedbackStore(resolve(config.FEEDBACK_FILE));
  const cases = notHelpfulCases(await store.readAll());
  const lines = cases.map((c) => JSON.stringify(c)).join('\n') + (cases.length ? '\n' : '');
  if (values.out) {
    await writeFile(values.out, lines);
    console.error(
      `Wrote ${cases.length} case(s) marked not helpful to ${values.out}; add must_include, contexts and answer before using them in CI.`,
    );
  } else {
    process.stdout.write(lines);
  }
  return EXIT.ok;
}

runCli({ name: 'Export', usage: USAGE, main });

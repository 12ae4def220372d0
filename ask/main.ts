import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import { DEFAULT_COLLECTION } from '../config/collection-name.js';
import { loadCollectionsFile } from '../config/load-collections-file.js';
import { loadConfig } from '../config/load-config.js';
import { readEnvironment } from '../config/read-environment.js';
import { collectAnswer } from '../core/answer/answer-question.js';
import { parseAnswerInput } from '../core/question/parse-answer-input.js';
import type { Answer, AnswerMode } from '../core/contracts/types.js';
import { findCollection } from '../runtime/list-collections.js';
import { openEngine } from '../runtime/open-engine.js';
import { openStoreDatabase } from '../runtime/open-store-database.js';
import { askServer } from './ask-server.js';
import { renderTerminalAnswer } from './render-terminal-answer.js';

const USAGE = `usage: npm run ask -- "question" [options]
  --json            print the whole Answer as JSON
  --url URL         ask a running server instead of the local index
  --api-key KEY     the server's API key (with --url)
  --index DIR       the index to answer from (default: INDEX_DIR, built from CORPUS_DIR if missing)
  --collection NAME the collection to answer from (default: default), locally or with --url
  --mode MODE       extractive | generative
  --k N             passages per answer (1-20)
  -h, --help        print this help
exit codes: 0 answered, 3 the sources do not answer it, 2 bad usage or the question could not be asked`;

/** Asks one question from the terminal and prints the answer with numbered citations. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      index: { type: 'string' },
      collection: { type: 'string' },
      mode: { type: 'string' },
      k: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('give the question, in quotes: npm run ask -- "Who is Ha Jung-woo?"');
  if (values.mode !== undefined && values.mode !== 'extractive' && values.mode !== 'generative')
    throw new UsageError(`--mode must be extractive or generative, not "${values.mode}"`);
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 20))
    throw new UsageError(`--k must be a whole number from 1 to 20, not "${values.k}"`);
  if (values.url && values.index) throw new UsageError('give --url or --index, not both');
  if (values['api-key'] && !values.url) throw new UsageError('--api-key goes with --url');
  if (values.collection !== undefined && values.index) throw new UsageError('give --collection or --index, not both');
  const mode = values.mode as AnswerMode | undefined;

  let answer: Answer;
  if (values.url) {
    answer = await askServer(values.url, question, { apiKey: values['api-key'], mode, k, collection: values.collection });
  } else {
    const config = loadConfig(readEnvironment());
    const input = parseAnswerInput(
      { question, mode, k },
      { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    );
    const file = config.COLLECTIONS_FILE ? loadCollectionsFile(config.COLLECTIONS_FILE) : undefined;
    // The collection's own settings (collections file) apply as the server applies them.
    if (values.index && config.STORE === 'postgres')
      throw new UsageError('--index names an index folder: with STORE=postgres give --collection');
    const database = await openStoreDatabase(config, 'verbatim ask');
    const collection = await findCollection(config, file, values.collection ?? DEFAULT_COLLECTION, database);
    const indexDir = values.index ? resolve(values.index) : collection.indexDir;
    const engine = await openEngine(collection.config, indexDir, {
      ingestIfMissing: values.index ? undefined : collection.sourceDir,
      database,
      collection: collection.name,
    });
    answer = await collectAnswer(engine.answer(input));
  }
  console.log(values.json ? JSON.stringify(answer, null, 2) : renderTerminalAnswer(answer));
  return answer.answerable ? EXIT.ok : EXIT.refused;
}

runCli({ name: 'npm run ask', usage: USAGE, main });

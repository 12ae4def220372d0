import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/read-environment.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { createEmbeddings } from '../embeddings/create-embeddings.js';
import { ingestWithProgress } from '../runtime/ingest-with-progress.js';
import { NoDocumentsError } from './load-documents.js';

const USAGE = 'usage: npm run ingest -- [folder] [--out index-dir]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length > 1) {
    console.error(`expected at most one folder, got ${args.positionals.length}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(readEnvironment());
  const sourceDir = resolve(args.positionals[0] ?? config.CORPUS_DIR);
  const indexDir = resolve(args.values.out ?? config.INDEX_DIR);
  const setup = await createEmbeddings(config);
  console.error(`Ingesting ${sourceDir} -> ${indexDir} (embedder ${setup.identity.name})`);
  const summary = await ingestWithProgress(config, setup, sourceDir, indexDir);
  for (const skip of summary.skipped) console.error(`  skipped ${skip.path}: ${skip.reason}`);
  console.log(
    `Indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s ` +
      `(${summary.embeddedChunks} chunks embedded, ${summary.reusedDocuments} unchanged documents reused, ` +
      `${summary.removedDocuments} removed, ${summary.skipped.length} files skipped).`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    const known = error instanceof ConfigError || error instanceof NoDocumentsError;
    console.error(known ? error.message : `Ingest failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/read-environment.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import { loadConfig } from '../config/load-config.js';
import { createEmbeddings } from '../embeddings/create-embeddings.js';
import { ingestWithProgress } from './ingest-with-progress.js';

const USAGE = `usage: npm run ingest -- [folder] [--out index-dir]
exit codes: 0 indexed, 2 bad usage, bad input or the ingest failed (the previous index is left as it was)`;

async function main(): Promise<number> {
  const args = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (args.values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`expected at most one folder, got ${args.positionals.length}`);
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
      `${summary.removedDocuments} removed, ${summary.skipped.length} files skipped); index generation ${summary.generation}.`,
  );
  return EXIT.ok;
}

runCli({ name: 'Ingest', usage: USAGE, main });

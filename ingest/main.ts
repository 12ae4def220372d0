import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/read-environment.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import { loadConfig } from '../config/load-config.js';
import { createEmbeddings } from '../embeddings/create-embeddings.js';
import { ingestWithProgress } from './ingest-with-progress.js';
import { isWebSource } from './web-source.js';

const USAGE = `usage: npm run ingest -- [folder | https://site/path/] [--out index-dir]
  a URL crawls the site from there (docs/crawling.md); with it:
  --include GLOB    only pages whose path matches (repeatable; adds to CRAWL_INCLUDE)
  --exclude GLOB    no page whose path matches (repeatable; adds to CRAWL_EXCLUDE)
exit codes: 0 indexed, 2 bad usage, bad input or the ingest failed (the previous index is left as it was)`;

async function main(): Promise<number> {
  const args = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (args.values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (args.positionals.length > 1) throw new UsageError(`expected at most one folder or URL, got ${args.positionals.length}`);
  const environment = loadConfig(readEnvironment());
  const given = args.positionals[0] ?? environment.CORPUS_DIR;
  const web = isWebSource(given);
  const patterns = [...(args.values.include ?? []), ...(args.values.exclude ?? [])];
  if (!web && patterns.length > 0) throw new UsageError('--include and --exclude go with a URL to crawl, not a folder');
  const config = {
    ...environment,
    CRAWL_INCLUDE: [...environment.CRAWL_INCLUDE, ...(args.values.include ?? [])],
    CRAWL_EXCLUDE: [...environment.CRAWL_EXCLUDE, ...(args.values.exclude ?? [])],
  };
  const source = web ? given.trim() : resolve(given);
  const indexDir = resolve(args.values.out ?? config.INDEX_DIR);
  const setup = await createEmbeddings(config);
  console.error(`${web ? 'Crawling' : 'Ingesting'} ${source} -> ${indexDir} (embedder ${setup.identity.name})`);
  const summary = await ingestWithProgress(config, setup, source, indexDir);
  for (const skip of summary.skipped) console.error(`  skipped ${skip.path}: ${skip.reason}`);
  const unit = web ? 'pages' : 'files';
  console.log(
    `Indexed ${summary.documents} documents, ${summary.chunks} chunks in ${summary.seconds.toFixed(1)} s ` +
      `(${summary.embeddedChunks} chunks embedded, ${summary.reusedDocuments} unchanged documents reused, ` +
      `${summary.removedDocuments} removed, ${summary.skipped.length} ${unit} skipped); index generation ${summary.generation}.`,
  );
  return EXIT.ok;
}

runCli({ name: 'Ingest', usage: USAGE, main });

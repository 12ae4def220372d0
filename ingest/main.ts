import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../config/read-environment.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import { COLLECTION_NAME_RULE, DEFAULT_COLLECTION, isCollectionName } from '../config/collection-name.js';
import { collectionSpec } from '../config/collection-spec.js';
import { loadCollectionsFile } from '../config/load-collections-file.js';
import { loadConfig } from '../config/load-config.js';
import { createEmbeddings } from '../embeddings/create-embeddings.js';
import { databaseSettings } from '../config/database-settings.js';
import { openCheckedDatabase } from '../store/postgres/open-checked-database.js';
import { ingestWithProgress } from './ingest-with-progress.js';
import { isWebSource } from './web-source.js';

const USAGE = `usage: npm run ingest -- [folder | https://site/path/] [--out index-dir | --collection NAME]
  a URL crawls the site from there (docs/crawling.md); with it:
  --include GLOB     only pages whose path matches (repeatable; adds to CRAWL_INCLUDE)
  --exclude GLOB     no page whose path matches (repeatable; adds to CRAWL_EXCLUDE)
  --collection NAME  ingest into the collection NAME (docs/collections.md): its folder in COLLECTIONS_FILE
                     (or the one given), its index at <COLLECTIONS_INDEX_DIR>/NAME (INDEX_DIR for "default");
                     with STORE=postgres, the collection NAME of the database at DATABASE_URL
exit codes: 0 indexed, 2 bad usage, bad input or the ingest failed (the previous index is left as it was)`;

async function main(): Promise<number> {
  const args = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      collection: { type: 'string' },
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
  const name = args.values.collection;
  if (name !== undefined && args.values.out) throw new UsageError('give --out or --collection, not both');
  if (name !== undefined && !isCollectionName(name))
    throw new UsageError(`--collection "${name}" is not a collection name (${COLLECTION_NAME_RULE})`);
  const environment = loadConfig(readEnvironment());
  const file = name !== undefined && environment.COLLECTIONS_FILE ? loadCollectionsFile(environment.COLLECTIONS_FILE) : undefined;
  // A collection ingests with its own settings (chunking, embedder) from the collections file.
  const collection = name === undefined ? undefined : collectionSpec(environment, file, name);
  const settings = collection?.config ?? environment;
  const named = args.positionals[0];
  if (collection && named === undefined && !collection.sourceDir) {
    throw new UsageError(`give the folder of the collection ${name}: npm run ingest -- FOLDER --collection ${name}`);
  }
  const given = named ?? collection?.sourceDir ?? settings.CORPUS_DIR;
  const web = isWebSource(given);
  const patterns = [...(args.values.include ?? []), ...(args.values.exclude ?? [])];
  if (!web && patterns.length > 0) throw new UsageError('--include and --exclude go with a URL to crawl, not a folder');
  const config = {
    ...settings,
    CRAWL_INCLUDE: [...settings.CRAWL_INCLUDE, ...(args.values.include ?? [])],
    CRAWL_EXCLUDE: [...settings.CRAWL_EXCLUDE, ...(args.values.exclude ?? [])],
  };
  const source = web ? given.trim() : resolve(given);
  if (collection?.listedAt && collection.sourceDir && named !== undefined && source !== collection.sourceDir) {
    // The server refuses an index built from another folder than the file's: say so now, not at its next start.
    throw new UsageError(
      `the collections file (${collection.listedAt}) gives the collection ${name} the folder ${collection.sourceDir}, not ${source}: ` +
        'ingest that folder (or give none), or change the file',
    );
  }
  if (config.STORE === 'postgres' && args.values.out)
    throw new UsageError('--out names an index folder: with STORE=postgres give --collection');
  const indexDir = collection?.indexDir ?? resolve(args.values.out ?? config.INDEX_DIR);
  const database = config.STORE === 'postgres' ? await openCheckedDatabase(databaseSettings(config, 'verbatim ingest')) : undefined;
  const setup = await createEmbeddings(config);
  const into = name ? ` (collection ${name})` : '';
  const target = database ? `the database at ${database.address}, collection ${name ?? DEFAULT_COLLECTION}` : `${indexDir}${into}`;
  console.error(`${web ? 'Crawling' : 'Ingesting'} ${source} -> ${target} (embedder ${setup.identity.name})`);
  const summary = await ingestWithProgress(
    config,
    setup,
    source,
    indexDir,
    database && { database, collection: name ?? DEFAULT_COLLECTION },
  );
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

import cliProgress from 'cli-progress';
import type { Config } from '../config/load-config.js';
import type { EmbedderSetup } from '../embeddings/create-embeddings.js';
import { crawlSettingsFrom } from './crawl/crawl-settings.js';
import { crawlSource } from './crawl/crawl-source.js';
import type { Database } from '../store/postgres/database-pool.js';
import { chooseLexicalSearch } from '../store/postgres/choose-lexical-search.js';
import { ingestDocuments, type IngestOptions, type IngestSummary } from './ingest-documents.js';
import { ingestIntoDatabase } from './ingest-into-database.js';
import type { IngestLimits } from './ingest-limits.js';
import { isWebSource } from './web-source.js';

/** Where an ingest writes with STORE=postgres: a collection of the database, instead of an index folder. */
export interface DatabaseTarget {
  database: Database;
  collection: string;
}

/**
 * Runs an ingest of a folder, or a crawl of a site when `source` is a URL, with progress bars on
 * a terminal, into the index folder `indexDir` or, given `into`, a collection of the database.
 */
export async function ingestWithProgress(
  config: Config,
  setup: EmbedderSetup,
  source: string,
  indexDir: string,
  into?: DatabaseTarget,
): Promise<IngestSummary> {
  const terminal = process.stderr.isTTY;
  const bar = (format: string) =>
    terminal
      ? new cliProgress.SingleBar({ format, clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
      : null;
  const embedding = bar('Embedding {bar} {value}/{total} chunks | {eta_formatted} left');
  const crawling = bar('Crawling {bar} {value}/{total} pages');
  const limits: IngestLimits = {
    maxFileBytes: config.INGEST_MAX_FILE_SIZE,
    maxPdfPages: config.INGEST_MAX_PDF_PAGES,
    maxPdfDecompressedBytes: config.INGEST_MAX_PDF_DECOMPRESSED_SIZE,
    maxHtmlBytes: config.INGEST_MAX_HTML_SIZE,
    maxHtmlDepth: config.INGEST_MAX_HTML_DEPTH,
    maxMarkdownBytes: config.INGEST_MAX_MARKDOWN_SIZE,
    maxMarkdownTableRows: config.INGEST_MAX_MARKDOWN_TABLE_ROWS,
    maxMarkdownDepth: config.INGEST_MAX_MARKDOWN_DEPTH,
    maxParseMemoryBytes: config.INGEST_MAX_PARSE_MEMORY,
    maxParseSeconds: config.INGEST_MAX_PARSE_SECONDS,
  };
  let crawlStarted = false;
  const load = isWebSource(source)
    ? crawlSource(source, {
        settings: crawlSettingsFrom(config),
        limits,
        onProgress: ({ done, discovered }) => {
          if (!crawling) return;
          if (!crawlStarted) crawling.start(Math.max(discovered, 1), done);
          crawlStarted = true;
          crawling.setTotal(Math.max(discovered, 1));
          crawling.update(done);
        },
      })
    : undefined;
  const options: Omit<IngestOptions, 'indexDir'> = {
    sourceDir: source,
    load:
      load &&
      (async (previous) => {
        try {
          return await load(previous);
        } finally {
          crawling?.stop();
        }
      }),
    embeddings: setup.embeddings,
    embedder: setup.identity,
    chunking: { chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP },
    limits,
    onProgress: ({ embedded, total }) => {
      if (!embedding) return;
      if (embedded === 0) embedding.start(total, 0);
      else embedding.update(embedded);
      if (embedded === total) embedding.stop();
    },
  };
  if (!into) return ingestDocuments({ ...options, indexDir });
  return ingestIntoDatabase({
    ...options,
    ...into,
    lexical: await chooseLexicalSearch(into.database, config.DATABASE_LEXICAL_SEARCH),
    graceSeconds: config.DATABASE_GENERATION_GRACE_SECONDS,
  });
}

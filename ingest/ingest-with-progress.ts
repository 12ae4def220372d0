import cliProgress from 'cli-progress';
import type { Config } from '../config/load-config.js';
import type { EmbedderSetup } from '../embeddings/create-embeddings.js';
import { crawlSettingsFrom } from './crawl/crawl-settings.js';
import { crawlSource } from './crawl/crawl-source.js';
import { ingestDocuments, type IngestSummary } from './ingest-documents.js';
import type { IngestLimits } from './ingest-limits.js';
import { isWebSource } from './web-source.js';

/** Runs an ingest of a folder, or a crawl of a site when `source` is a URL, with progress bars on a terminal. */
export async function ingestWithProgress(config: Config, setup: EmbedderSetup, source: string, indexDir: string): Promise<IngestSummary> {
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
  return ingestDocuments({
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
    indexDir,
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
  });
}

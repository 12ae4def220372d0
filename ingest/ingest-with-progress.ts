import cliProgress from 'cli-progress';
import type { Config } from '../config/load-config.js';
import type { EmbedderSetup } from '../embeddings/create-embeddings.js';
import { ingestDocuments, type IngestSummary } from './ingest-documents.js';

/** Runs an ingest with a progress bar on a terminal. */
export async function ingestWithProgress(
  config: Config,
  setup: EmbedderSetup,
  sourceDir: string,
  indexDir: string,
): Promise<IngestSummary> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'Embedding {bar} {value}/{total} chunks | {eta_formatted} left', clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  return ingestDocuments({
    sourceDir,
    indexDir,
    embeddings: setup.embeddings,
    embedder: setup.identity,
    chunking: { chunkSize: config.CHUNK_SIZE, chunkOverlap: config.CHUNK_OVERLAP },
    limits: {
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
    },
    onProgress: ({ embedded, total }) => {
      if (!bar) return;
      if (embedded === 0) bar.start(total, 0);
      else bar.update(embedded);
      if (embedded === total) bar.stop();
    },
  });
}

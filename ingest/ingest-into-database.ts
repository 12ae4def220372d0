import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Chunk, StoredDocument } from '../core/contracts/types.js';
import type { Database } from '../store/postgres/database-pool.js';
import type { LexicalSearchKind } from '../store/postgres/generation-tables.js';
import { readCurrentGeneration } from '../store/postgres/read-generation.js';
import { readReusableChunks, type ReusableDocument } from '../store/postgres/read-reusable-chunks.js';
import { writeGeneration, type GenerationDocument } from '../store/postgres/write-generation.js';
import { chunkDocument } from './chunk-document.js';
import type { IngestOptions, IngestSummary } from './ingest-documents.js';
import { loadDocuments } from './load-documents.js';
import { isWebSource } from './web-source.js';

/** An ingest into a collection of the database (STORE=postgres) rather than an index folder. */
export interface DatabaseIngestOptions extends Omit<IngestOptions, 'indexDir' | 'onCommitStep'> {
  database: Database;
  collection: string;
  /** How the new generation finds lexical candidates (pg_textsearch's BM25, or full-text search). */
  lexical: LexicalSearchKind;
  /** Seconds a replaced generation stays for replicas still reading it. */
  graceSeconds: number;
  onStep?: Parameters<typeof writeGeneration>[1]['onStep'];
}

/**
 * Reads, chunks and embeds the documents as `ingestDocuments` does, and writes them as a new
 * generation of the collection in the database, made current in one transaction
 * (store/postgres/write-generation.ts). Documents whose text is unchanged since the current
 * generation keep its chunks and vectors (no embedding calls). A crawl fetches every page again:
 * the database keeps no crawl state to ask only for changes.
 */
export async function ingestIntoDatabase(options: DatabaseIngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const source = options.load ? await options.load(null) : await loadDocuments(options.sourceDir, options.limits);
  const documents: GenerationDocument[] = source.documents.map((read) => ({
    ...read,
    hash: createHash('sha256').update(read.text).digest('hex'),
  }));
  const previous = await readCurrentGeneration(options.database, options.collection);
  const sameBuild =
    previous &&
    previous.embedder.name === options.embedder.name &&
    previous.embedder.dimensions === options.embedder.dimensions &&
    previous.chunking.chunkSize === options.chunking.chunkSize &&
    previous.chunking.chunkOverlap === options.chunking.chunkOverlap;
  const { reusable, previousIds } = sameBuild
    ? await readReusableChunks(options.database, previous, new Map(documents.map((d) => [d.docId, d.hash])))
    : { reusable: new Map<string, ReusableDocument>(), previousIds: [] };

  const chunks: Chunk[] = [];
  const vectors: (Float32Array | null)[] = [];
  for (const document of documents) {
    const kept = reusable.get(document.docId);
    const own: Chunk[] = kept
      ? kept.chunks.map(({ start, end }, n) => chunkOf(document, n, start, end))
      : await chunkDocument(document, options.chunking);
    chunks.push(...own);
    vectors.push(...(kept ? kept.chunks.map((chunk) => chunk.vector) : own.map(() => null)));
  }
  const toEmbed = chunks.filter((_, i) => vectors[i] === null);
  const dimensions = options.embedder.dimensions;
  const batchSize = options.batchSize ?? 64;
  options.onProgress?.({ embedded: 0, total: toEmbed.length });
  const missing = vectors.flatMap((vector, i) => (vector === null ? [i] : []));
  for (let from = 0; from < missing.length; from += batchSize) {
    const batch = missing.slice(from, from + batchSize);
    const embedded = await options.embeddings.embedDocuments(batch.map((i) => chunks[i].text));
    embedded.forEach((vector, j) => {
      if (vector.length !== dimensions) throw new Error(`The embedder returned ${vector.length} dimensions, expected ${dimensions}`);
      vectors[batch[j]] = Float32Array.from(vector);
    });
    options.onProgress?.({ embedded: Math.min(from + batchSize, missing.length), total: missing.length });
  }
  const flat = new Float32Array(chunks.length * dimensions);
  vectors.forEach((vector, i) => flat.set(vector!, i * dimensions));

  const written = await writeGeneration(options.database, {
    collection: options.collection,
    embedder: options.embedder,
    chunking: options.chunking,
    source: isWebSource(options.sourceDir) ? options.sourceDir : resolve(options.sourceDir),
    lexical: options.lexical,
    documents,
    chunks,
    vectors: flat,
    graceSeconds: options.graceSeconds,
    now: options.now,
    onStep: options.onStep,
  });
  const loadedIds = new Set(documents.map((d) => d.docId));
  return {
    documents: documents.length,
    chunks: chunks.length,
    generation: written.name,
    embeddedChunks: toEmbed.length,
    reusedDocuments: reusable.size,
    removedDocuments: previousIds.filter((id) => !loadedIds.has(id)).length,
    skipped: source.skipped,
    seconds: (performance.now() - started) / 1000,
  };
}

function chunkOf(document: StoredDocument, n: number, start: number, end: number): Chunk {
  return { chunkId: `${document.docId}#${n}`, docId: document.docId, start, end, text: document.text.slice(start, end) };
}

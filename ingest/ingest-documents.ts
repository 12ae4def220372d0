import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { ChunkingOptions } from '../core/chunk-text.js';
import type { EmbedderIdentity } from '../core/passage-store.js';
import type { Chunk, StoredDocument } from '../core/types.js';
import { commitGeneration, createStagingDir, type CommitStep } from '../store/commit-generation.js';
import {
  INDEX_FORMAT_VERSION,
  checkCompatible,
  currentGenerationDir,
  readGenerationManifest,
  readIndexContents,
  writeIndexFiles,
  type IndexManifest,
} from '../store/index-files.js';
import { createSearchIndex, vectorRow, type IndexContents } from '../store/search-index.js';
import { chunkDocument } from './chunk-document.js';
import type { IngestLimits } from './ingest-limits.js';
import { loadDocuments, type SkippedFile } from './load-documents.js';

export interface IngestOptions {
  sourceDir: string;
  indexDir: string;
  embeddings: EmbeddingsInterface;
  embedder: EmbedderIdentity;
  chunking: ChunkingOptions;
  /** What one file may be (defaults: DEFAULT_INGEST_LIMITS); files over a limit are skipped with the reason. */
  limits?: IngestLimits;
  /** Chunks embedded per call. */
  batchSize?: number;
  onProgress?: (progress: { embedded: number; total: number }) => void;
  now?: () => Date;
  /** Observes each step of the final commit (tests kill the process at each one). */
  onCommitStep?: (step: CommitStep) => void;
}

export interface IngestSummary {
  documents: number;
  chunks: number;
  /** The generation the ingest committed: what /readyz and each Answer report once a server loads it. */
  generation: string;
  embeddedChunks: number;
  reusedDocuments: number;
  removedDocuments: number;
  skipped: SkippedFile[];
  seconds: number;
}

interface PlannedDocument {
  document: StoredDocument;
  chunks: Chunk[];
  /** Vectors kept from the previous index, or null when the chunks must be embedded. */
  vectors: Float32Array[] | null;
}

/**
 * Builds the index for every document in `sourceDir` into a staging folder and commits it as a
 * new generation of `indexDir` only when complete (see commitGeneration). Documents whose content
 * hash is unchanged since the previous index reuse its chunks and vectors; removed documents are
 * dropped.
 */
export async function ingestDocuments(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const staging = await createStagingDir(options.indexDir);
  try {
    const { documents: loaded, skipped } = await loadDocuments(options.sourceDir, options.limits);
    const previous = await readReusableIndex(options);
    const previousIds = new Set(previous?.documents.map((d) => d.docId) ?? []);

    const planned: PlannedDocument[] = [];
    for (const read of loaded) {
      const document: StoredDocument = { ...read, hash: sha256(read.text) };
      const reusable = previous && reusableDocument(previous, document);
      planned.push(
        reusable ? { document, ...reusable } : { document, chunks: await chunkDocument(document, options.chunking), vectors: null },
      );
    }

    const toEmbed = planned.filter((p) => p.vectors === null).flatMap((p) => p.chunks);
    const fresh = await embedChunks(toEmbed, options);
    const contents = assembleContents(planned, fresh, options.embedder);

    const index = await createSearchIndex(contents, options.embeddings);
    await writeIndexFiles(staging, index, buildManifest(contents, planned, options));
    const generation = await commitGeneration(staging, options.indexDir, { onStep: options.onCommitStep });
    return {
      documents: contents.documents.length,
      chunks: contents.chunks.length,
      generation,
      embeddedChunks: toEmbed.length,
      reusedDocuments: planned.filter((p) => p.vectors !== null).length,
      removedDocuments: [...previousIds].filter((id) => !loaded.some((d) => d.docId === id)).length,
      skipped,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** The previous index's contents when it was built the same way, else null (everything is re-embedded). */
async function readReusableIndex(options: IngestOptions): Promise<IndexContents | null> {
  try {
    const dir = await currentGenerationDir(options.indexDir);
    const manifest = await readGenerationManifest(dir);
    checkCompatible(manifest, options.embedder, dir);
    const sameChunking =
      manifest.chunking.chunkSize === options.chunking.chunkSize && manifest.chunking.chunkOverlap === options.chunking.chunkOverlap;
    return sameChunking ? await readIndexContents(dir, manifest) : null;
  } catch {
    return null;
  }
}

function reusableDocument(previous: IndexContents, document: StoredDocument): Omit<PlannedDocument, 'document'> | null {
  const old = previous.documents.find((d) => d.docId === document.docId);
  if (!old || old.hash !== document.hash) return null;
  const chunks: Chunk[] = [];
  const vectors: Float32Array[] = [];
  previous.chunks.forEach((chunk, i) => {
    if (chunk.docId !== document.docId) return;
    chunks.push(chunk);
    vectors.push(vectorRow(previous, i));
  });
  return { chunks, vectors };
}

async function embedChunks(chunks: Chunk[], options: IngestOptions): Promise<Float32Array[]> {
  const batchSize = options.batchSize ?? 64;
  const vectors: Float32Array[] = [];
  options.onProgress?.({ embedded: 0, total: chunks.length });
  for (let i = 0; i < chunks.length; i += batchSize) {
    const batch = chunks.slice(i, i + batchSize);
    const embedded = await options.embeddings.embedDocuments(batch.map((c) => c.text));
    for (const vector of embedded) {
      if (vector.length !== options.embedder.dimensions) {
        throw new Error(`The embedder returned ${vector.length} dimensions, expected ${options.embedder.dimensions}`);
      }
      vectors.push(Float32Array.from(vector));
    }
    options.onProgress?.({ embedded: vectors.length, total: chunks.length });
  }
  return vectors;
}

function assembleContents(planned: PlannedDocument[], fresh: Float32Array[], embedder: EmbedderIdentity): IndexContents {
  const chunks = planned.flatMap((p) => p.chunks);
  const vectors = new Float32Array(chunks.length * embedder.dimensions);
  let row = 0;
  let freshRow = 0;
  for (const plan of planned) {
    for (let i = 0; i < plan.chunks.length; i++) {
      vectors.set(plan.vectors ? plan.vectors[i] : fresh[freshRow++], row * embedder.dimensions);
      row++;
    }
  }
  return { embedder, documents: planned.map((p) => p.document), chunks, vectors };
}

function buildManifest(contents: IndexContents, planned: PlannedDocument[], options: IngestOptions): Omit<IndexManifest, 'files'> {
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: options.embedder,
    chunking: options.chunking,
    sourceDir: resolve(options.sourceDir),
    documents: planned.map(({ document, chunks }) => ({
      docId: document.docId,
      path: document.path,
      title: document.title,
      kind: document.kind,
      pages: document.pages,
      hash: document.hash,
      characters: document.text.length,
      chunks: chunks.length,
    })),
    counts: { documents: contents.documents.length, chunks: contents.chunks.length },
    createdAt: (options.now?.() ?? new Date()).toISOString(),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

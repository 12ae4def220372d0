import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { ChunkingOptions } from '../core/chunks/chunk-text.js';
import type { EmbedderIdentity } from '../core/contracts/passage-store.js';
import type { Chunk, StoredDocument } from '../core/contracts/types.js';
import { startDenseIndexFile } from '../store/build-dense-index-file.js';
import { commitGeneration, createStagingDir, type CommitStep } from '../store/commit-generation.js';
import {
  INDEX_FILES,
  INDEX_FORMAT_VERSION,
  checkCompatible,
  currentGenerationDir,
  readGenerationManifest,
  readReusableIndex,
  REUSABLE_FORMATS,
  writeIndexFiles,
  type IndexManifest,
  type ReusableIndex,
} from '../store/index-files.js';
import { buildLexicalIndex, type LexicalReuse } from '../store/lexical/build-lexical-index.js';
import { contentParts, lexicalFieldTexts, vectorRow, type IndexContents } from '../store/search-index.js';
import { chunkDocument } from './chunk-document.js';
import { feedDenseInOrder } from './feed-dense-in-order.js';
import type { IngestLimits } from './ingest-limits.js';
import type { LoadResult, LoadSource, PreviousDocuments, SkippedFile } from './document-source.js';
import { loadDocuments } from './load-documents.js';
import { isWebSource } from './web-source.js';

export interface IngestOptions {
  /** The folder to read; with `load`, what the manifest records as the source (a crawl's start URL). */
  sourceDir: string;
  /** Reads the documents instead of the folder (a crawl, ingest/crawl/). */
  load?: LoadSource;
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
  /** Position of the document's first chunk in the previous index, when reused. */
  previousFirstChunk?: number;
  /** A crawled page's ETag and Last-Modified, recorded for the next crawl. */
  version: { etag?: string; lastModified?: string };
}

/**
 * Builds the index for every document in `sourceDir` into a staging folder and commits it as a
 * new generation of `indexDir` only when complete (see commitGeneration). Documents whose content
 * hash is unchanged since the previous index reuse its chunks, vectors and postings; removed
 * documents are dropped.
 */
export async function ingestDocuments(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const staging = await createStagingDir(options.indexDir);
  try {
    const previousRead = await readPrevious(options);
    const previous = previousRead?.index ?? null;
    const previousFirstChunks = firstChunks(previous);
    const previousById = new Map(previous?.documents.map((d) => [d.docId, d]));
    const source: LoadResult = options.load
      ? await options.load(previousRead && previousDocuments(previousRead.manifest, previousRead.index, previousById))
      : await loadDocuments(options.sourceDir, options.limits);
    const { documents: loaded, skipped } = source;

    const planned: PlannedDocument[] = [];
    for (const { etag, lastModified, ...read } of loaded) {
      const document: StoredDocument = { ...read, hash: sha256(read.text) };
      const version = { etag, lastModified };
      const old = previousById.get(document.docId);
      const reusable =
        previous && old && reusableDocument(previous, old, previousFirstChunks.get(old.docId)!, document, options.embedder.dimensions);
      planned.push(
        reusable
          ? { document, version, ...reusable }
          : { document, version, chunks: await chunkDocument(document, options.chunking), vectors: null },
      );
    }

    const loadedIds = new Set(loaded.map((d) => d.docId));
    const toEmbed = planned.filter((p) => p.vectors === null).flatMap((p) => p.chunks);
    // The HNSW graph grows on a second core, fed as chunks are embedded, while this thread goes on.
    const dimensions = options.embedder.dimensions;
    const dense = startDenseIndexFile(
      planned.reduce((sum, plan) => sum + plan.chunks.length, 0),
      dimensions,
      join(staging, INDEX_FILES.dense),
    );
    const feed = feedDenseInOrder(
      planned.flatMap((plan) => plan.vectors ?? plan.chunks.map(() => null)),
      dense,
      dimensions,
    );
    const fresh = await embedChunks(toEmbed, options, feed);
    const contents = assembleContents(planned, fresh, options.embedder);
    const lexical = buildLexicalIndex(lexicalFieldTexts(contents), previous ? lexicalReuse(previous, planned) : undefined);
    await writeIndexFiles(
      staging,
      { ...contentParts(contents), lexical },
      contents.documents,
      contents.vectors,
      dense.finish(),
      buildManifest(contents, planned, options, source.crawl),
    );
    const generation = await commitGeneration(staging, options.indexDir, { onStep: options.onCommitStep });
    return {
      documents: contents.documents.length,
      chunks: contents.chunks.length,
      generation,
      embeddedChunks: toEmbed.length,
      reusedDocuments: planned.filter((p) => p.vectors !== null).length,
      removedDocuments: [...previousById.keys()].filter((id) => !loadedIds.has(id)).length,
      skipped,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** What the previous index offers for reuse when it was built the same way, else null (everything is re-embedded). */
async function readPrevious(options: IngestOptions): Promise<{ manifest: IndexManifest; index: ReusableIndex } | null> {
  try {
    const dir = await currentGenerationDir(options.indexDir);
    // An index of an earlier format whose reusable parts are unchanged is reused, not re-embedded.
    const manifest = await readGenerationManifest(dir, REUSABLE_FORMATS);
    checkCompatible(manifest, options.embedder, dir);
    const sameChunking =
      manifest.chunking.chunkSize === options.chunking.chunkSize && manifest.chunking.chunkOverlap === options.chunking.chunkOverlap;
    return sameChunking ? { manifest, index: await readReusableIndex(dir, manifest) } : null;
  } catch {
    return null;
  }
}

/** The previous index as a source sees it: what the manifest lists, and each document whole on demand. */
function previousDocuments(
  manifest: IndexManifest,
  index: ReusableIndex,
  byId: Map<string, ReusableIndex['documents'][number]>,
): PreviousDocuments {
  const positions = new Map(index.documents.map((document, position) => [document.docId, position]));
  const { texts } = index;
  return {
    // Without texts to keep (an index of an earlier format), no page is asked for only if changed.
    documents: texts ? manifest.documents : manifest.documents.map(({ etag: _etag, lastModified: _lastModified, ...document }) => document),
    crawl: manifest.crawl,
    async read(docId) {
      const position = positions.get(docId);
      const entry = byId.get(docId);
      if (position === undefined || !entry || !texts) throw new Error(`no document ${docId} in the previous index`);
      const [text, blocks] = await Promise.all([texts.text(position, 0, entry.characters), texts.blocks(position, 0, entry.characters)]);
      const { path, url, title, kind, pages, hash } = entry;
      return { docId, path, url, title, kind, pages, hash, text, blocks };
    },
  };
}

/** Each previous document's first chunk position, by id. */
function firstChunks(previous: ReusableIndex | null): Map<string, number> {
  const first = new Map<string, number>();
  let position = 0;
  for (const document of previous?.documents ?? []) {
    first.set(document.docId, position);
    position += document.chunks;
  }
  return first;
}

/** An unchanged document's chunks (offsets into the same text) and vectors, taken from the previous index. */
function reusableDocument(
  previous: ReusableIndex,
  old: ReusableIndex['documents'][number],
  first: number,
  document: StoredDocument,
  dimensions: number,
): Omit<PlannedDocument, 'document' | 'version'> | null {
  if (old.hash !== document.hash) return null;
  const chunks: Chunk[] = [];
  const vectors: Float32Array[] = [];
  for (let n = 0; n < old.chunks; n++) {
    const start = previous.chunkBounds[2 * (first + n)];
    const end = previous.chunkBounds[2 * (first + n) + 1];
    chunks.push({ chunkId: `${document.docId}#${n}`, docId: document.docId, start, end, text: document.text.slice(start, end) });
    vectors.push(vectorRow(previous.vectors, dimensions, first + n));
  }
  return { chunks, vectors, previousFirstChunk: first };
}

/** Where each previous chunk of a reused document lands in the new index: its postings are copied, not rebuilt. */
function lexicalReuse(previous: ReusableIndex, planned: PlannedDocument[]): LexicalReuse {
  const newPositions = new Int32Array(previous.chunkBounds.length / 2).fill(-1);
  let position = 0;
  for (const plan of planned) {
    if (plan.previousFirstChunk !== undefined) {
      for (let n = 0; n < plan.chunks.length; n++) newPositions[plan.previousFirstChunk + n] = position + n;
    }
    position += plan.chunks.length;
  }
  return { previous: previous.lexical, newPositions };
}

/** Embeds the chunks in batches; `onBatch` gets each batch's vectors, in order. */
async function embedChunks(chunks: Chunk[], options: IngestOptions, onBatch: (rows: Float32Array[]) => void): Promise<Float32Array[]> {
  const batchSize = options.batchSize ?? 64;
  const vectors: Float32Array[] = [];
  options.onProgress?.({ embedded: 0, total: chunks.length });
  for (let i = 0; i < chunks.length; i += batchSize) {
    const batch = chunks.slice(i, i + batchSize);
    const embedded = await options.embeddings.embedDocuments(batch.map((c) => c.text));
    const rows = embedded.map((vector) => {
      if (vector.length !== options.embedder.dimensions) {
        throw new Error(`The embedder returned ${vector.length} dimensions, expected ${options.embedder.dimensions}`);
      }
      return Float32Array.from(vector);
    });
    onBatch(rows);
    vectors.push(...rows);
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

function buildManifest(
  contents: IndexContents,
  planned: PlannedDocument[],
  options: IngestOptions,
  crawl: IndexManifest['crawl'],
): Omit<IndexManifest, 'files'> {
  return {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: options.embedder,
    chunking: options.chunking,
    sourceDir: isWebSource(options.sourceDir) ? options.sourceDir : resolve(options.sourceDir),
    ...(crawl ? { crawl } : {}),
    documents: planned.map(({ document, chunks, version }) => ({
      docId: document.docId,
      path: document.path,
      url: document.url,
      ...(version.etag ? { etag: version.etag } : {}),
      ...(version.lastModified ? { lastModified: version.lastModified } : {}),
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

import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import type { EmbedderIdentity } from '../core/passage-store.js';
import type { Chunk, StoredDocument } from '../core/types.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { IndexMismatchError } from './index-mismatch-error.js';
import { IndexNotFoundError } from './index-not-found-error.js';
import { LEXICAL_OPTIONS, assembleSearchIndex, type IndexContents, type SearchIndex } from './search-index.js';

/** 2: documents carry path, kind, pages and blocks; BM25 has a heading field; the manifest records the source folder. */
export const INDEX_FORMAT_VERSION = 2;

const manifestSchema = z.object({
  formatVersion: z.number(),
  embedder: z.object({ name: z.string(), dimensions: z.number() }),
  chunking: z.object({ chunkSize: z.number(), chunkOverlap: z.number() }),
  /** The folder the documents were read from (absolute). */
  sourceDir: z.string(),
  documents: z.array(
    z.object({
      docId: z.string(),
      path: z.string(),
      title: z.string(),
      kind: z.enum(['markdown', 'html', 'pdf', 'text']),
      pages: z.number().nullable(),
      hash: z.string(),
      characters: z.number(),
      chunks: z.number(),
    }),
  ),
  counts: z.object({ documents: z.number(), chunks: z.number() }),
  createdAt: z.string(),
});

/** manifest.json: what built the index and what it holds. */
export type IndexManifest = z.infer<typeof manifestSchema>;

const chunkRowSchema = z.tuple([z.string(), z.number(), z.number()]);

/** How to rebuild, appended to every load error. */
export const REBUILD_HINT = 'Rebuild it with: npm run ingest -- <documents folder> (or delete the index folder and run npm start).';

/** Creates an empty staging folder beside `indexDir`; nothing is visible at `indexDir` until commit. */
export async function createStagingDir(indexDir: string): Promise<string> {
  const parent = dirname(indexDir);
  await mkdir(parent, { recursive: true });
  const prefix = `.${basename(indexDir)}.staging-`;
  // Staging folders left by a killed ingest are garbage: the live index was never touched.
  for (const entry of await readdir(parent)) {
    if (entry.startsWith(prefix)) await rm(join(parent, entry), { recursive: true, force: true });
  }
  const staging = join(parent, `${prefix}${process.pid}-${Date.now()}`);
  await mkdir(staging);
  return staging;
}

/** Writes every index file into the staging folder. */
export async function writeIndexFiles(staging: string, index: SearchIndex, manifest: IndexManifest): Promise<void> {
  const { contents } = index;
  await writeFile(join(staging, 'documents.json'), JSON.stringify(contents.documents));
  await writeFile(join(staging, 'chunks.json'), JSON.stringify(contents.chunks.map((c) => [c.docId, c.start, c.end])));
  const vectors = contents.vectors;
  await writeFile(join(staging, 'vectors.f32'), Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  await writeFile(join(staging, 'bm25.json'), JSON.stringify(index.lexical));
  if (contents.chunks.length > 0) await index.dense.save(join(staging, 'hnsw'));
  // The manifest goes last: a folder without it is never taken for an index.
  await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** Swaps the staging folder into place: the old index stays whole until the new one is complete. */
export async function commitStagingDir(staging: string, indexDir: string): Promise<void> {
  const retired = `${staging}.retired`;
  const hadIndex = existsSync(indexDir);
  if (hadIndex) await rename(indexDir, retired);
  try {
    await rename(staging, indexDir);
  } catch (error) {
    if (hadIndex) await rename(retired, indexDir);
    throw error;
  }
  if (hadIndex) await rm(retired, { recursive: true, force: true });
}

/** Reads and checks manifest.json. */
export async function readManifest(indexDir: string): Promise<IndexManifest> {
  const file = join(indexDir, 'manifest.json');
  if (!existsSync(file)) throw new IndexNotFoundError(`No index at ${indexDir}. ${REBUILD_HINT}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new IndexCorruptError(`The index manifest ${file} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
  // An index of another format is not damaged, only older or newer: say which, before its fields are checked.
  const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== INDEX_FORMAT_VERSION) {
    throw new IndexMismatchError(
      `The index at ${indexDir} has format ${version}; this version reads format ${INDEX_FORMAT_VERSION}. ${REBUILD_HINT}`,
    );
  }
  try {
    return manifestSchema.parse(parsed);
  } catch (error) {
    throw new IndexCorruptError(`The index manifest ${file} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
}

/** Fails unless the index was built by `embedder` (readManifest has checked its format). */
export function checkCompatible(manifest: IndexManifest, embedder: EmbedderIdentity, indexDir: string): void {
  const built = manifest.embedder;
  if (built.name !== embedder.name || built.dimensions !== embedder.dimensions) {
    throw new IndexMismatchError(
      `The index at ${indexDir} was built with embedder ${built.name} (${built.dimensions} dimensions), ` +
        `but this process uses ${embedder.name} (${embedder.dimensions} dimensions). ` +
        `Set EMBEDDINGS to match the index, or ${REBUILD_HINT.charAt(0).toLowerCase()}${REBUILD_HINT.slice(1)}`,
    );
  }
}

/**
 * Fails unless the index was built from `sourceDir`: a server told to serve one folder must not
 * answer from an index of another. The message says how to rebuild, or to let start-up do it.
 */
export function checkSource(manifest: IndexManifest, sourceDir: string, indexDir: string): void {
  if (resolve(manifest.sourceDir) === resolve(sourceDir)) return;
  throw new IndexMismatchError(
    `The index at ${indexDir} was built from ${manifest.sourceDir}, but CORPUS_DIR is ${resolve(sourceDir)}. ` +
      `Rebuild it with: npm run ingest -- ${sourceDir} (or set REINGEST=auto to rebuild at start, or INDEX_DIR to keep one index per folder).`,
  );
}

/** Reads documents, chunks and vectors (not the search structures): enough for incremental re-ingest. */
export async function readIndexContents(indexDir: string, manifest: IndexManifest): Promise<IndexContents> {
  try {
    const documents = JSON.parse(await readFile(join(indexDir, 'documents.json'), 'utf8')) as StoredDocument[];
    const byId = new Map(documents.map((d) => [d.docId, d]));
    const rows = z.array(chunkRowSchema).parse(JSON.parse(await readFile(join(indexDir, 'chunks.json'), 'utf8')));
    const counters = new Map<string, number>();
    const chunks: Chunk[] = rows.map(([docId, start, end]) => {
      const document = byId.get(docId);
      if (!document || end > document.text.length || start >= end) throw new Error(`chunk of ${docId} points outside its document`);
      const ordinal = counters.get(docId) ?? 0;
      counters.set(docId, ordinal + 1);
      return { chunkId: `${docId}#${ordinal}`, docId, start, end, text: document.text.slice(start, end) };
    });
    const bytes = await readFile(join(indexDir, 'vectors.f32'));
    const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (documents.length !== manifest.counts.documents || chunks.length !== manifest.counts.chunks) {
      throw new Error('document or chunk count differs from the manifest');
    }
    if (vectors.length !== chunks.length * manifest.embedder.dimensions) throw new Error('vector file size differs from the manifest');
    return { embedder: manifest.embedder, documents, chunks, vectors };
  } catch (error) {
    throw new IndexCorruptError(`The index at ${indexDir} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
}

/** Loads a complete index for searching, after checking it was built by `embedder` (and, when given, from `sourceDir`). */
export async function loadSearchIndex(
  indexDir: string,
  embeddings: EmbeddingsInterface,
  embedder: EmbedderIdentity,
  sourceDir?: string,
): Promise<SearchIndex> {
  const manifest = await readManifest(indexDir);
  checkCompatible(manifest, embedder, indexDir);
  if (sourceDir !== undefined) checkSource(manifest, sourceDir, indexDir);
  const contents = await readIndexContents(indexDir, manifest);
  try {
    const lexical = MiniSearch.loadJSON(await readFile(join(indexDir, 'bm25.json'), 'utf8'), LEXICAL_OPTIONS);
    const dense =
      contents.chunks.length > 0
        ? await HNSWLib.load(join(indexDir, 'hnsw'), embeddings)
        : new HNSWLib(embeddings, { space: 'cosine', numDimensions: embedder.dimensions });
    if (lexical.documentCount !== contents.chunks.length) throw new Error('BM25 index size differs from the manifest');
    if (contents.chunks.length > 0 && dense.index.getCurrentCount() !== contents.chunks.length) {
      throw new Error('vector index size differs from the manifest');
    }
    const index = assembleSearchIndex(contents, lexical, dense);
    // Term frequencies serve every question; count them now, not on the first one.
    await index.getTermCounts([]);
    return index;
  } catch (error) {
    throw new IndexCorruptError(`The index at ${indexDir} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

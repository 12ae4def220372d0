import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import type { EmbedderIdentity } from '../core/passage-store.js';
import { fileTexts } from './document-texts.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { IndexMismatchError } from './index-mismatch-error.js';
import { IndexNotFoundError } from './index-not-found-error.js';
import type { LexicalIndex } from './lexical/lexical-index.js';
import { readLexicalIndex, writeLexicalIndex } from './lexical/lexical-index-file.js';
import { assembleSearchIndex, type DenseIndex, type DocumentEntry, type SearchIndex, type StoreParts } from './search-index.js';

const { HierarchicalNSW } = hnswlib;

/** 2: texts in texts.bin, compact BM25 postings, HNSW written by hnswlib itself. */
export const INDEX_FORMAT_VERSION = 2;

const manifestSchema = z.object({
  formatVersion: z.number(),
  embedder: z.object({ name: z.string(), dimensions: z.number() }),
  chunking: z.object({ chunkSize: z.number(), chunkOverlap: z.number() }),
  documents: z.array(z.object({ docId: z.string(), title: z.string(), hash: z.string(), characters: z.number(), chunks: z.number() })),
  counts: z.object({ documents: z.number(), chunks: z.number() }),
  createdAt: z.string(),
});

/** manifest.json: what built the index and what it holds. */
export type IndexManifest = z.infer<typeof manifestSchema>;

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

/** The files of an index besides manifest.json, written and loaded together (README, "Your own documents"). */
export const INDEX_FILES = {
  documents: 'documents.json',
  texts: 'texts.bin',
  chunks: 'chunks.bin',
  vectors: 'vectors.f32',
  lexical: 'lexical.bin',
  dense: 'dense.hnsw',
} as const;

const documentEntrySchema = z.object({
  docId: z.string(),
  title: z.string(),
  hash: z.string(),
  characters: z.number(),
  chunks: z.number(),
  byteOffset: z.number(),
  byteLength: z.number(),
});

/**
 * Writes every index file into the staging folder: the store's parts, `vectors` (the rows the
 * HNSW graph was built from, kept for re-ingest), and the graph itself, or the promise of a
 * worker writing it there (store/build-dense-index-file.ts), awaited before the manifest.
 */
export async function writeIndexFiles(
  staging: string,
  parts: Omit<StoreParts, 'dense'>,
  vectors: Float32Array,
  dense: DenseIndex | Promise<void>,
  manifest: IndexManifest,
): Promise<void> {
  const entries: z.infer<typeof documentEntrySchema>[] = [];
  // Texts go to one binary file, document by document: a large corpus exceeds what one JSON string can hold.
  const texts = await open(join(staging, INDEX_FILES.texts), 'w');
  try {
    let byteOffset = 0;
    for (const [d, document] of parts.documents.entries()) {
      const bytes = Buffer.from(await parts.texts.text(d), 'utf8');
      await texts.write(bytes);
      entries.push({ ...document, byteOffset, byteLength: bytes.length });
      byteOffset += bytes.length;
    }
  } finally {
    await texts.close();
  }
  await writeFile(join(staging, INDEX_FILES.documents), JSON.stringify(entries));
  await writeFile(join(staging, INDEX_FILES.chunks), bytesOf(parts.chunkBounds));
  await writeFile(join(staging, INDEX_FILES.vectors), bytesOf(vectors));
  await writeLexicalIndex(join(staging, INDEX_FILES.lexical), parts.lexical);
  if (dense instanceof Promise) await dense;
  else if (parts.chunkBounds.length > 0) await dense.writeIndex(join(staging, INDEX_FILES.dense));
  // The manifest goes last: a folder without it is never taken for an index.
  await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
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
  try {
    return manifestSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    throw new IndexCorruptError(`The index manifest ${file} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
}

/** Fails unless the index was built by `embedder` in this format. */
export function checkCompatible(manifest: IndexManifest, embedder: EmbedderIdentity, indexDir: string): void {
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexMismatchError(
      `The index at ${indexDir} has format ${manifest.formatVersion}; this version reads format ${INDEX_FORMAT_VERSION}. ${REBUILD_HINT}`,
    );
  }
  const built = manifest.embedder;
  if (built.name !== embedder.name || built.dimensions !== embedder.dimensions) {
    throw new IndexMismatchError(
      `The index at ${indexDir} was built with embedder ${built.name} (${built.dimensions} dimensions), ` +
        `but this process uses ${embedder.name} (${embedder.dimensions} dimensions). ` +
        `Set EMBEDDINGS to match the index, or ${REBUILD_HINT.charAt(0).toLowerCase()}${REBUILD_HINT.slice(1)}`,
    );
  }
}

/** What an ingest reuses of the previous index: documents, chunk bounds, vectors and postings, not texts. */
export interface ReusableIndex {
  documents: DocumentEntry[];
  chunkBounds: Uint32Array;
  vectors: Float32Array;
  lexical: LexicalIndex;
}

/** Reads the parts of an index an incremental ingest can reuse. */
export async function readReusableIndex(indexDir: string, manifest: IndexManifest): Promise<ReusableIndex> {
  return guarded(indexDir, async () => {
    const { documents, chunkBounds } = await readTables(indexDir, manifest);
    const vectors = await readFloats(join(indexDir, INDEX_FILES.vectors));
    if (vectors.length !== (chunkBounds.length / 2) * manifest.embedder.dimensions)
      throw new Error('vector file size differs from the manifest');
    const lexical = await readLexicalIndex(join(indexDir, INDEX_FILES.lexical));
    if (lexical.chunkCount !== chunkBounds.length / 2) throw new Error('BM25 index size differs from the manifest');
    return { documents, chunkBounds, vectors, lexical };
  });
}

/** Loads a complete index for searching, after checking it was built by `embedder`; texts stay on disk. */
export async function loadSearchIndex(indexDir: string, embedder: EmbedderIdentity): Promise<SearchIndex> {
  const manifest = await readManifest(indexDir);
  checkCompatible(manifest, embedder, indexDir);
  return guarded(indexDir, async () => {
    const { documents, chunkBounds, spans } = await readTables(indexDir, manifest);
    const chunkCount = chunkBounds.length / 2;
    const lexical = await readLexicalIndex(join(indexDir, INDEX_FILES.lexical));
    if (lexical.chunkCount !== chunkCount) throw new Error('BM25 index size differs from the manifest');
    const dense = new HierarchicalNSW('cosine', embedder.dimensions);
    if (chunkCount > 0) {
      await dense.readIndex(join(indexDir, INDEX_FILES.dense));
      if (dense.getCurrentCount() !== chunkCount) throw new Error('vector index size differs from the manifest');
    } else dense.initIndex(1);
    // vectors.f32 serves re-ingest only (HNSW holds its own copy); its size still tells a damaged index.
    if ((await stat(join(indexDir, INDEX_FILES.vectors))).size !== chunkCount * embedder.dimensions * 4) {
      throw new Error('vector file size differs from the manifest');
    }
    const textFile = join(indexDir, INDEX_FILES.texts);
    const expectedBytes = spans.reduce((sum, span) => sum + span.byteLength, 0);
    if ((await stat(textFile)).size !== expectedBytes) throw new Error('texts.bin size differs from documents.json');
    return assembleSearchIndex({ embedder, documents, chunkBounds, texts: fileTexts(textFile, spans), lexical, dense });
  });
}

/** documents.json and chunks.bin, checked against each other and the manifest. */
async function readTables(indexDir: string, manifest: IndexManifest) {
  const entries = z.array(documentEntrySchema).parse(JSON.parse(await readFile(join(indexDir, INDEX_FILES.documents), 'utf8')));
  const bytes = await readFile(join(indexDir, INDEX_FILES.chunks));
  const chunkBounds = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const chunkCount = entries.reduce((sum, entry) => sum + entry.chunks, 0);
  if (entries.length !== manifest.counts.documents || chunkCount !== manifest.counts.chunks || chunkBounds.length !== 2 * chunkCount) {
    throw new Error('document or chunk count differs from the manifest');
  }
  let i = 0;
  for (const entry of entries) {
    for (let n = 0; n < entry.chunks; n++, i++) {
      if (chunkBounds[2 * i] >= chunkBounds[2 * i + 1] || chunkBounds[2 * i + 1] > entry.characters) {
        throw new Error(`chunk of ${entry.docId} points outside its document`);
      }
    }
  }
  const documents: DocumentEntry[] = entries.map(({ docId, title, hash, characters, chunks }) => ({
    docId,
    title,
    hash,
    characters,
    chunks,
  }));
  return { documents, chunkBounds, spans: entries };
}

async function readFloats(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Runs a read, reporting any failure as a damaged index with the rebuild hint. */
async function guarded<T>(indexDir: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new IndexCorruptError(`The index at ${indexDir} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { EmbedderIdentity } from '../core/passage-store.js';
import type { Chunk, StoredDocument } from '../core/types.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { checksumTree, readVerified } from './index-checksums.js';
import { isLegacyLayout, readCurrentGeneration } from './index-layout.js';
import { IndexMismatchError } from './index-mismatch-error.js';
import { IndexNotFoundError } from './index-not-found-error.js';
import type { IndexContents, SearchIndex } from './search-index.js';
import { createYielder } from './yield-to-event-loop.js';

/**
 * 3: generations behind a CURRENT pointer with every file's checksum in the manifest; documents
 * carry path, kind, pages and blocks; BM25 has a heading field; the manifest records the source folder.
 */
export const INDEX_FORMAT_VERSION = 3;

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
  /** Size and SHA-256 of every other file of the generation; checked before any is parsed. */
  files: z.record(z.string(), z.object({ bytes: z.number(), sha256: z.string() })),
});

/** manifest.json: what built the index, what it holds, and the checksum of each of its files. */
export type IndexManifest = z.infer<typeof manifestSchema>;

const chunkRowSchema = z.tuple([z.string(), z.number(), z.number()]);

/** How to rebuild, appended to every load error. */
export const REBUILD_HINT = 'Rebuild it with: npm run ingest -- <documents folder> (or delete the index folder and run npm start).';

/** Writes every index file into the staging folder, then the manifest with every file's checksum. */
export async function writeIndexFiles(staging: string, index: SearchIndex, manifest: Omit<IndexManifest, 'files'>): Promise<void> {
  const { contents } = index;
  await writeFile(join(staging, 'documents.json'), JSON.stringify(contents.documents));
  await writeFile(join(staging, 'chunks.json'), JSON.stringify(contents.chunks.map((c) => [c.docId, c.start, c.end])));
  const vectors = contents.vectors;
  await writeFile(join(staging, 'vectors.f32'), Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  await writeFile(join(staging, 'bm25.json'), JSON.stringify(index.lexical));
  if (contents.chunks.length > 0) await index.dense.save(join(staging, 'hnsw'));
  // The manifest goes last: a folder without it is never taken for an index.
  const files = await checksumTree(staging, ['manifest.json']);
  await writeFile(join(staging, 'manifest.json'), JSON.stringify({ ...manifest, files }, null, 2));
}

/** The folder of the generation in use (the one CURRENT names, or the index folder itself in the old layout). */
export async function currentGenerationDir(indexDir: string): Promise<string> {
  const generation = await readCurrentGeneration(indexDir).catch((error: Error) => {
    throw new IndexCorruptError(`The index at ${indexDir} is damaged (${error.message}). ${REBUILD_HINT}`);
  });
  if (generation) return join(indexDir, generation);
  if (isLegacyLayout(indexDir)) return indexDir;
  throw new IndexNotFoundError(`No index at ${indexDir}. ${REBUILD_HINT}`);
}

/** Reads and checks the manifest of the generation in use. */
export async function readManifest(indexDir: string): Promise<IndexManifest> {
  return readGenerationManifest(await currentGenerationDir(indexDir));
}

/** Reads and checks manifest.json of one generation folder. */
export async function readGenerationManifest(dir: string): Promise<IndexManifest> {
  const file = join(dir, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new IndexNotFoundError(`No index at ${dir}. ${REBUILD_HINT}`);
    throw new IndexCorruptError(`The index manifest ${file} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
  // An index of another format is not damaged, only older or newer: say which, before its fields are checked.
  const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== INDEX_FORMAT_VERSION) {
    const older = version < INDEX_FORMAT_VERSION ? ' (an earlier version)' : '';
    throw new IndexMismatchError(
      `The index at ${dir} has format ${version}${older}; this version reads format ${INDEX_FORMAT_VERSION}. ${REBUILD_HINT}`,
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

/** Reads documents, chunks and vectors of one generation (not the search structures), each file verified first. */
export async function readIndexContents(dir: string, manifest: IndexManifest): Promise<IndexContents> {
  return damagedUnlessRead(dir, async () => {
    const pause = createYielder();
    const files = manifest.files;
    const documents = JSON.parse((await readVerified(dir, 'documents.json', files)).toString('utf8')) as StoredDocument[];
    await pause();
    const byId = new Map(documents.map((d) => [d.docId, d]));
    const rows: unknown = JSON.parse((await readVerified(dir, 'chunks.json', files)).toString('utf8'));
    if (!Array.isArray(rows)) throw new Error('chunks.json is not a list');
    const counters = new Map<string, number>();
    const chunks: Chunk[] = [];
    for (const row of rows) {
      // Checked row by row, between pauses: one schema check of the whole list would hold the event loop.
      const [docId, start, end] = chunkRowSchema.parse(row);
      const document = byId.get(docId);
      if (!document || end > document.text.length || start >= end) throw new Error(`chunk of ${docId} points outside its document`);
      const ordinal = counters.get(docId) ?? 0;
      counters.set(docId, ordinal + 1);
      chunks.push({ chunkId: `${docId}#${ordinal}`, docId, start, end, text: document.text.slice(start, end) });
      await pause();
    }
    const bytes = await readVerified(dir, 'vectors.f32', files);
    const vectors = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (documents.length !== manifest.counts.documents || chunks.length !== manifest.counts.chunks) {
      throw new Error('document or chunk count differs from the manifest');
    }
    if (vectors.length !== chunks.length * manifest.embedder.dimensions) throw new Error('vector file size differs from the manifest');
    return { embedder: manifest.embedder, documents, chunks, vectors };
  });
}

/** Runs `read`, turning any failure into an IndexCorruptError naming the folder and how to rebuild. */
export async function damagedUnlessRead<T>(dir: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (IndexCorruptError.isInstance(error) || IndexMismatchError.isInstance(error)) throw error;
    throw new IndexCorruptError(`The index at ${dir} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

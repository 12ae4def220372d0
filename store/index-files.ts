import { closeSync, existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { EmbedderIdentity } from '../core/contracts/passage-store.js';
import type { StoredDocument } from '../core/contracts/types.js';
import type { DocumentTexts } from './document-texts.js';
import { fileTexts } from './file-texts.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { checksumTree, openVerified, readVerified, type FileChecksum } from './index-checksums.js';
import { CHECKPOINT_FIELDS, CHUNK_BLOCK_FIELDS, checkpointCount, type TextSpan } from './text-layout.js';
import { writeTextFiles } from './write-text-files.js';
import { CURRENT_FILE, isGenerationName, isLegacyLayout, readCurrentGeneration } from './index-layout.js';
import { IndexMismatchError } from './index-mismatch-error.js';
import { IndexNotFoundError } from './index-not-found-error.js';
import type { LexicalIndex } from './lexical/lexical-index.js';
import { decodeLexicalIndex, writeLexicalIndex } from './lexical/lexical-index-file.js';
import type { DenseIndex, DocumentEntry, StoreParts } from './search-index.js';
import { createYielder } from './yield-to-event-loop.js';

/**
 * 5: texts and blocks laid out to be read a range at a time (store/text-layout.ts: texts.bin with
 * character checkpoints in text-index.bin, one block a line in blocks.jsonl with block-offsets.bin,
 * each chunk's blocks in chunk-blocks.bin), compact BM25 postings of the text and heading fields
 * (lexical.bin), chunk bounds in chunks.bin, HNSW written by hnswlib itself (dense.hnsw);
 * generations behind a CURRENT pointer with every file's checksum in the manifest. Format 4 had
 * one JSON line of blocks a document and no checkpoints (a read took the whole document).
 */
export const INDEX_FORMAT_VERSION = 5;

/**
 * Formats whose documents, chunk bounds, vectors and postings an ingest can reuse as they are:
 * only texts and blocks changed from 4 to 5, and an ingest rewrites those anyway, so moving to 5
 * re-embeds nothing unchanged (with OpenAI embeddings, a re-embed is what costs).
 */
export const REUSABLE_FORMATS = [4, 5];

/** A document as the manifest lists it (and the store: DocumentEntry). */
const documentSchema = z.object({
  docId: z.string(),
  path: z.string(),
  // Indexes written before crawling existed have no URLs: their documents are files.
  url: z.string().nullable().default(null),
  title: z.string(),
  kind: z.enum(['markdown', 'html', 'pdf', 'text']),
  pages: z.number().nullable(),
  hash: z.string(),
  characters: z.number(),
  chunks: z.number(),
});

/**
 * What a crawled page's response said about its version (ETag, Last-Modified): the next crawl
 * asks for it only if it changed (If-None-Match, If-Modified-Since). Kept in the manifest only.
 */
const crawledPageFields = { etag: z.string().optional(), lastModified: z.string().optional() };

const manifestSchema = z.object({
  formatVersion: z.number(),
  embedder: z.object({ name: z.string(), dimensions: z.number() }),
  chunking: z.object({ chunkSize: z.number(), chunkOverlap: z.number() }),
  /** The folder the documents were read from (absolute), or the URL a crawl started at. */
  sourceDir: z.string(),
  documents: z.array(documentSchema.extend(crawledPageFields)),
  /** What a crawl found, for the next one to start from (ingest/crawl/). */
  crawl: z.object({ discovered: z.array(z.object({ url: z.string(), depth: z.number() })) }).optional(),
  counts: z.object({ documents: z.number(), chunks: z.number() }),
  createdAt: z.string(),
  /** Size and SHA-256 of every other file of the generation; checked before any is parsed. */
  files: z.record(z.string(), z.object({ bytes: z.number(), sha256: z.string() })),
});

/** manifest.json: what built the index, what it holds, and the checksum of each of its files. */
export type IndexManifest = z.infer<typeof manifestSchema>;

/** How to rebuild, appended to every load error. */
export const REBUILD_HINT = 'Rebuild it with: npm run ingest -- <documents folder> (or delete the index folder and run npm start).';

/** The files of a generation besides manifest.json, written and loaded together (docs/index-format.md). */
export const INDEX_FILES = {
  documents: 'documents.json',
  texts: 'texts.bin',
  textIndex: 'text-index.bin',
  blocks: 'blocks.jsonl',
  blockOffsets: 'block-offsets.bin',
  chunkBlocks: 'chunk-blocks.bin',
  chunks: 'chunks.bin',
  vectors: 'vectors.f32',
  lexical: 'lexical.bin',
  dense: 'dense.hnsw',
} as const;

/** documents.json: each document as the store lists it, and where its text and blocks are. */
const documentEntrySchema = documentSchema.extend({
  byteOffset: z.number(),
  byteLength: z.number(),
  firstBlock: z.number(),
  blockCount: z.number(),
});

type DocumentRecord = z.infer<typeof documentEntrySchema>;

/**
 * Writes every index file into the staging folder: the documents' texts and blocks (`sources`, in
 * the order of `parts.documents`) in the ranged layout, the store's tables and postings, `vectors`
 * (the rows the HNSW graph was built from, kept for re-ingest), and the graph itself, or the
 * promise of a worker writing it there (store/build-dense-index-file.ts), awaited before the
 * manifest; then the manifest with every file's checksum.
 */
export async function writeIndexFiles(
  staging: string,
  parts: Pick<StoreParts, 'documents' | 'chunkBounds' | 'lexical'>,
  sources: readonly Pick<StoredDocument, 'text' | 'blocks'>[],
  vectors: Float32Array,
  dense: DenseIndex | Promise<void>,
  manifest: Omit<IndexManifest, 'files'>,
): Promise<void> {
  const spans = await writeTextFiles(
    staging,
    INDEX_FILES,
    sources.map((source, d) => ({ ...source, chunks: parts.documents[d].chunks })),
    parts.chunkBounds,
  );
  const records: DocumentRecord[] = parts.documents.map((document, d) => {
    const { byteOffset, byteLength, firstBlock, blockCount } = spans[d];
    return { ...document, byteOffset, byteLength, firstBlock, blockCount };
  });
  await writeFile(join(staging, INDEX_FILES.documents), JSON.stringify(records));
  await writeFile(join(staging, INDEX_FILES.chunks), bytesOf(parts.chunkBounds));
  await writeFile(join(staging, INDEX_FILES.vectors), bytesOf(vectors));
  await writeLexicalIndex(join(staging, INDEX_FILES.lexical), parts.lexical);
  if (dense instanceof Promise) await dense;
  else if (parts.chunkBounds.length > 0) await dense.writeIndex(join(staging, INDEX_FILES.dense));
  // The manifest goes last: a folder without it is never taken for an index.
  const files = await checksumTree(staging, ['manifest.json']);
  await writeFile(join(staging, 'manifest.json'), JSON.stringify({ ...manifest, files }, null, 2));
}

function bytesOf(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * The folder of the generation in use (the one CURRENT names, or the index folder itself in the
 * old layout). Only a folder with neither CURRENT nor a generation is "no index"; a CURRENT that is
 * missing beside generations, unreadable, or naming one that is not there is damage.
 */
export async function currentGenerationDir(indexDir: string): Promise<string> {
  const damaged = (problem: string) => new IndexCorruptError(`The index at ${indexDir} is damaged (${problem}). ${REBUILD_HINT}`);
  const generation = await readCurrentGeneration(indexDir).catch((error: Error) => {
    throw damaged(error.message);
  });
  if (generation) {
    if (!existsSync(join(indexDir, generation))) throw damaged(`${CURRENT_FILE} names ${generation}, which does not exist`);
    return join(indexDir, generation);
  }
  if (isLegacyLayout(indexDir)) return indexDir;
  const count = (await readdir(indexDir).catch(() => [])).filter(isGenerationName).length;
  if (count > 0) throw damaged(`${CURRENT_FILE} is missing, but the folder holds ${count === 1 ? 'a generation' : `${count} generations`}`);
  throw new IndexNotFoundError(`No index at ${indexDir}. ${REBUILD_HINT}`);
}

/** Reads and checks the manifest of the generation in use. */
export async function readManifest(indexDir: string): Promise<IndexManifest> {
  return readGenerationManifest(await currentGenerationDir(indexDir));
}

/** Reads and checks manifest.json of one generation folder, refusing (IndexMismatchError) a format not in `formats`. */
export async function readGenerationManifest(dir: string, formats: readonly number[] = [INDEX_FORMAT_VERSION]): Promise<IndexManifest> {
  const file = join(dir, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    // A generation is renamed into place only once its manifest is written: without one it is damaged.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new IndexCorruptError(`The index at ${dir} is damaged (it has no manifest.json). ${REBUILD_HINT}`);
    throw new IndexCorruptError(`The index manifest ${file} is damaged (${firstLine(error)}). ${REBUILD_HINT}`);
  }
  // An index of another format is not damaged, only older or newer: say which, before its fields are checked.
  const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && !formats.includes(version)) {
    const older = version < INDEX_FORMAT_VERSION ? ' (an earlier version)' : '';
    const builtFrom = (parsed as { sourceDir?: unknown }).sourceDir;
    throw new IndexMismatchError(
      `The index at ${dir} has format ${version}${older}; this version reads format ${INDEX_FORMAT_VERSION}. ${REBUILD_HINT}`,
      older && typeof builtFrom === 'string' ? builtFrom : undefined,
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
  // A crawled index records the URL it started at: compared as written, never as a path.
  const place = (source: string) => (/^https?:\/\//i.test(source) ? source : resolve(source));
  if (place(manifest.sourceDir) === place(sourceDir)) return;
  throw new IndexMismatchError(
    `The index at ${indexDir} was built from ${manifest.sourceDir}, but CORPUS_DIR is ${resolve(sourceDir)}. ` +
      `Rebuild it with: npm run ingest -- ${sourceDir} (or set REINGEST=auto to rebuild at start, or INDEX_DIR to keep one index per folder).`,
  );
}

/** What an ingest reuses of the previous index: documents, chunk bounds, vectors and postings, and texts on demand. */
export interface ReusableIndex {
  documents: DocumentEntry[];
  chunkBounds: Uint32Array;
  vectors: Float32Array;
  lexical: LexicalIndex;
  /**
   * Each document's stored text and blocks, by position: a re-crawl keeps the copy of a page the
   * site says is unchanged (304). Its files are verified and opened only when first read. Null
   * for an index of an earlier format, whose texts are laid out otherwise: every page is fetched.
   */
  texts: DocumentTexts | null;
}

/** Reads, each file verified first, the parts of one generation an incremental ingest can reuse (of any REUSABLE_FORMATS). */
export async function readReusableIndex(dir: string, manifest: IndexManifest): Promise<ReusableIndex> {
  return damagedUnlessRead(dir, async () => {
    const current = manifest.formatVersion === INDEX_FORMAT_VERSION;
    const { documents, chunkBounds, spans } = await readTables(dir, manifest, current ? documentEntrySchema : documentSchema);
    const vectors = floatsOf(await readVerified(dir, INDEX_FILES.vectors, manifest.files));
    if (vectors.length !== (chunkBounds.length / 2) * manifest.embedder.dimensions)
      throw new Error('vector file size differs from the manifest');
    const lexical = await decodeLexicalIndex(await readVerified(dir, INDEX_FILES.lexical, manifest.files));
    if (lexical.chunkCount !== chunkBounds.length / 2) throw new Error('BM25 index size differs from the manifest');
    const chunkCount = chunkBounds.length / 2;
    return { documents, chunkBounds, vectors, lexical, texts: current ? textsOnDemand(dir, manifest.files, spans, chunkCount) : null };
  });
}

/** Texts and blocks of one generation, its files verified and opened on the first read. */
function textsOnDemand(dir: string, files: Record<string, FileChecksum>, spans: readonly TextSpan[], chunkCount: number): DocumentTexts {
  let opened: Promise<DocumentTexts> | undefined;
  const open = () => (opened ??= damagedUnlessRead(dir, () => openTexts(dir, files, spans, chunkCount)));
  return {
    text: async (document, start, end) => (await open()).text(document, start, end),
    blocks: async (document, start, end) => (await open()).blocks(document, start, end),
    chunkParts: async (chunk, document, start, end) => (await open()).chunkParts(chunk, document, start, end),
  };
}

/**
 * The texts and blocks of one generation, read a range at a time (store/file-texts.ts): each file
 * verified against its checksum through the descriptor it is then read from, and its size checked
 * against the tables (offsets past an end are damage, found here rather than by a request).
 */
export async function openTexts(
  dir: string,
  files: Record<string, FileChecksum>,
  spans: readonly TextSpan[],
  chunkCount: number,
): Promise<DocumentTexts> {
  const checkpointBytes = await readVerified(dir, INDEX_FILES.textIndex, files);
  const checkpoints = new Uint32Array(
    checkpointBytes.buffer.slice(checkpointBytes.byteOffset, checkpointBytes.byteOffset + checkpointBytes.byteLength),
  );
  const last = spans.at(-1);
  const blockCount = last ? last.firstBlock + last.blockCount : 0;
  const sizes: [string, number][] = [
    [INDEX_FILES.texts, last ? last.byteOffset + last.byteLength : 0],
    [INDEX_FILES.textIndex, spans.reduce((sum, span) => sum + checkpointCount(span.characters), 0) * CHECKPOINT_FIELDS * 4],
    [INDEX_FILES.blockOffsets, (blockCount + 1) * 8],
    [INDEX_FILES.chunkBlocks, chunkCount * CHUNK_BLOCK_FIELDS * 4],
  ];
  for (const [name, bytes] of sizes) if (files[name]?.bytes !== bytes) throw new Error(`${name} size differs from documents.json`);
  const descriptors: number[] = [];
  try {
    for (const name of [INDEX_FILES.texts, INDEX_FILES.blocks, INDEX_FILES.blockOffsets, INDEX_FILES.chunkBlocks]) {
      descriptors.push(await openVerified(dir, name, files));
    }
  } catch (error) {
    for (const fd of descriptors) closeSync(fd);
    throw error;
  }
  const [texts, blocks, blockOffsets, chunkBlocks] = descriptors;
  return fileTexts({ texts, blocks, blockOffsets, chunkBlocks }, spans, checkpoints);
}

/**
 * documents.json and chunks.bin of one generation, verified, then checked against each other and
 * the manifest; each document row checked with `schema` (by default with where its text and
 * blocks lie, which only the current format has).
 */
export async function readTables(
  dir: string,
  manifest: IndexManifest,
  schema: z.ZodType<DocumentEntry & Partial<DocumentRecord>> = documentEntrySchema,
): Promise<{ documents: DocumentEntry[]; chunkBounds: Uint32Array; spans: TextSpan[] }> {
  const pause = createYielder();
  const rows: unknown = JSON.parse((await readVerified(dir, INDEX_FILES.documents, manifest.files)).toString('utf8'));
  if (!Array.isArray(rows)) throw new Error('documents.json is not a list');
  const entries: (DocumentEntry & Partial<DocumentRecord>)[] = [];
  for (const row of rows) {
    // Checked row by row, between pauses: one schema check of a long list would hold the event loop.
    entries.push(schema.parse(row));
    await pause();
  }
  const bytes = await readVerified(dir, INDEX_FILES.chunks, manifest.files);
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
  // What the store lists of each document: everything but where its bytes lie.
  const documents = entries.map(({ byteOffset, byteLength, firstBlock, blockCount, ...document }): DocumentEntry => document);
  const spans = entries.map((entry): TextSpan => ({
    byteOffset: entry.byteOffset ?? 0,
    byteLength: entry.byteLength ?? 0,
    firstBlock: entry.firstBlock ?? 0,
    blockCount: entry.blockCount ?? 0,
    characters: entry.characters,
  }));
  return { documents, chunkBounds, spans };
}

/** A Float32Array over a copy of the bytes (aligned, whatever the buffer's offset). */
export function floatsOf(bytes: Buffer): Float32Array {
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
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

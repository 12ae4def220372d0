import { closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { EmbedderIdentity } from '../core/contracts/passage-store.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { copyVerified, openVerified, readVerified } from './index-checksums.js';
import {
  INDEX_FILES,
  REBUILD_HINT,
  checkCompatible,
  checkSource,
  currentGenerationDir,
  damagedUnlessRead,
  openTexts,
  readGenerationManifest,
  readTables,
} from './index-files.js';
import { listGenerations } from './commit-marker.js';
import { CURRENT_FILE, readCurrentGeneration } from './index-layout.js';
import { decodeLexicalIndex } from './lexical/lexical-index-file.js';
import { loadDenseIndex } from './load-dense-index.js';
import { assembleSearchIndex, type DenseIndex, type SearchIndex } from './search-index.js';

const { HierarchicalNSW } = hnswlib;

/** A loaded index and the generation it was read from. */
export interface LoadedIndex {
  index: SearchIndex;
  generation: string;
  /**
   * Set when the index in use could not be loaded and the newest intact committed generation was
   * (see `fallBack`): the generation CURRENT names (which may not exist), or `CURRENT` when the
   * pointer itself is missing or unreadable, and why.
   */
  fellBackFrom?: { generation: string; reason: string };
}

export interface LoadIndexOptions {
  /** Load this generation rather than the one CURRENT names. */
  generation?: string;
  /**
   * When the index in use is damaged (CURRENT missing, unreadable or dangling; its generation
   * without a manifest or with a damaged file), load the newest intact generation CURRENT has
   * named before instead (start-up). Generations an ingest never committed are never loaded.
   */
  fallBack?: boolean;
  /** When set, refuse an index built from another folder (CORPUS_DIR). */
  sourceDir?: string;
}

/** Loads the index in use for searching (see `loadIndex`), refusing one built from another folder than `sourceDir` when given. */
export async function loadSearchIndex(indexDir: string, embedder: EmbedderIdentity, sourceDir?: string): Promise<SearchIndex> {
  return (await loadIndex(indexDir, embedder, { sourceDir })).index;
}

/**
 * Loads one whole generation of the index for searching, after checking it was built by
 * `embedder` and that every file matches its checksum. The work runs in slices that yield to the
 * event loop, so a server keeps answering while it loads. A generation replaced by an ingest
 * while it was being read is not reported as damaged: the one that replaced it is loaded instead.
 */
export async function loadIndex(indexDir: string, embedder: EmbedderIdentity, options: LoadIndexOptions = {}): Promise<LoadedIndex> {
  const load = (dir: string) => loadGeneration(dir, embedder, options.sourceDir);
  if (options.generation) return { index: await load(join(indexDir, options.generation)), generation: options.generation };
  for (let attempt = 1; ; attempt++) {
    // Null until CURRENT has been read and names a generation that is there.
    let generation: string | null = null;
    try {
      const dir = await currentGenerationDir(indexDir);
      generation = dir === indexDir ? 'legacy' : dir.slice(indexDir.length + 1);
      return { index: await load(dir), generation };
    } catch (error) {
      const now = await readCurrentGeneration(indexDir).catch(() => null);
      if (attempt < 3 && generation !== null && now !== null && now !== generation) continue; // superseded mid-read: load the new one
      if (options.fallBack && IndexCorruptError.isInstance(error)) {
        const from = generation ?? now ?? CURRENT_FILE;
        const fallback = await loadNewestCommitted(indexDir, from, load);
        if (fallback) return { ...fallback, fellBackFrom: { generation: from, reason: error.message } };
        const problem = error.message.replace(` ${REBUILD_HINT}`, '').replace(/\.$/, '');
        throw new IndexCorruptError(`${problem}${await noFallbackReason(indexDir)} ${REBUILD_HINT}`);
      }
      throw error;
    }
  }
}

/** The newest intact committed generation but `damaged`, or null when there is none. */
async function loadNewestCommitted(
  indexDir: string,
  damaged: string,
  load: (dir: string) => Promise<SearchIndex>,
): Promise<LoadedIndex | null> {
  const { committed } = await listGenerations(indexDir);
  for (const generation of committed.filter((name) => name !== damaged)) {
    try {
      return { index: await load(join(indexDir, generation)), generation };
    } catch {
      // damaged too, or another embedder or folder: try the next
    }
  }
  return null;
}

/** Why there was nothing to fall back to, and what is kept, for the refusal. */
async function noFallbackReason(indexDir: string): Promise<string> {
  const { uncommitted } = await listGenerations(indexDir);
  const kept = uncommitted.length
    ? ` (kept, never served: ${uncommitted.join(', ')}, written by an ingest that never committed; to serve one anyway, write its name into ${CURRENT_FILE})`
    : '';
  return `; no committed generation of it is intact${kept}.`;
}

/**
 * Every file of the generation is checked against its checksum before it is used: the tables and
 * postings are read whole and verified; the HNSW graph is verified as it is copied to the private
 * file hnswlib then reads; texts and blocks are verified through the descriptors they are then
 * read from on demand; the vectors (kept for re-ingest) are verified without being kept.
 */
async function loadGeneration(dir: string, embedder: EmbedderIdentity, sourceDir: string | undefined): Promise<SearchIndex> {
  const manifest = await readGenerationManifest(dir);
  checkCompatible(manifest, embedder, dir);
  if (sourceDir !== undefined) checkSource(manifest, sourceDir, dir);
  const files = manifest.files;
  return damagedUnlessRead(dir, async () => {
    const { documents, chunkBounds, spans } = await readTables(dir, manifest);
    const chunkCount = chunkBounds.length / 2;
    const lexical = await decodeLexicalIndex(await readVerified(dir, INDEX_FILES.lexical, files));
    if (lexical.chunkCount !== chunkCount) throw new Error('BM25 index size differs from the manifest');
    let dense: DenseIndex;
    if (chunkCount > 0) {
      // The index folder, not the generation, holds the private copy: a committed generation is never written to.
      dense = await loadDenseIndex(dirname(dir), (copy) => copyVerified(dir, INDEX_FILES.dense, files, copy), embedder.dimensions);
      if (dense.getCurrentCount() !== chunkCount) throw new Error('vector index size differs from the manifest');
    } else {
      dense = new HierarchicalNSW('cosine', embedder.dimensions);
      dense.initIndex(1);
    }
    closeSync(await openVerified(dir, INDEX_FILES.vectors, files));
    if (files[INDEX_FILES.vectors].bytes !== chunkCount * embedder.dimensions * 4)
      throw new Error('vector file size differs from the manifest');
    const texts = await openTexts(dir, files, spans, chunkCount);
    return assembleSearchIndex({ embedder, documents, chunkBounds, texts, lexical, dense });
  });
}

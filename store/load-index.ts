import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import MiniSearch from 'minisearch';
import type { EmbedderIdentity } from '../core/passage-store.js';
import { countTermFrequencies } from './count-term-frequencies.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { readVerified } from './index-checksums.js';
import {
  checkCompatible,
  checkSource,
  currentGenerationDir,
  damagedUnlessRead,
  readGenerationManifest,
  readIndexContents,
} from './index-files.js';
import { isGenerationName, readCurrentGeneration } from './index-layout.js';
import { DENSE_FILES, loadDenseIndex } from './load-dense-index.js';
import { LEXICAL_OPTIONS, assembleSearchIndex, type SearchIndex } from './search-index.js';

/** A loaded index and the generation it was read from. */
export interface LoadedIndex {
  index: SearchIndex;
  generation: string;
  /** Set when the generation CURRENT names could not be loaded and an older intact one was (see `fallBack`). */
  fellBackFrom?: { generation: string; reason: string };
}

export interface LoadIndexOptions {
  /** Load this generation rather than the one CURRENT names. */
  generation?: string;
  /** When the generation in use is damaged, load the newest intact older one instead (start-up). */
  fallBack?: boolean;
  /** When set, refuse an index built from another folder (CORPUS_DIR). */
  sourceDir?: string;
}

/** Loads the index in use for searching (see `loadIndex`), refusing one built from another folder than `sourceDir` when given. */
export async function loadSearchIndex(
  indexDir: string,
  embeddings: EmbeddingsInterface,
  embedder: EmbedderIdentity,
  sourceDir?: string,
): Promise<SearchIndex> {
  return (await loadIndex(indexDir, embeddings, embedder, { sourceDir })).index;
}

/**
 * Loads one whole generation of the index for searching, after checking it was built by
 * `embedder` and that every file matches its checksum. The work runs in slices that yield to the
 * event loop, so a server keeps answering while it loads. A generation replaced by an ingest
 * while it was being read is not reported as damaged: the one that replaced it is loaded instead.
 */
export async function loadIndex(
  indexDir: string,
  embeddings: EmbeddingsInterface,
  embedder: EmbedderIdentity,
  options: LoadIndexOptions = {},
): Promise<LoadedIndex> {
  const load = (dir: string) => loadGeneration(dir, embeddings, embedder, options.sourceDir);
  if (options.generation) return { index: await load(join(indexDir, options.generation)), generation: options.generation };
  for (let attempt = 1; ; attempt++) {
    const dir = await currentGenerationDir(indexDir);
    const generation = dir === indexDir ? 'legacy' : dir.slice(indexDir.length + 1);
    try {
      return { index: await load(dir), generation };
    } catch (error) {
      const now = await readCurrentGeneration(indexDir).catch(() => null);
      if (attempt < 3 && now !== null && now !== generation) continue; // superseded mid-read: load the new one
      if (options.fallBack && IndexCorruptError.isInstance(error)) {
        const older = await loadOlderGeneration(indexDir, generation, load);
        if (older) return { ...older, fellBackFrom: { generation, reason: error.message } };
      }
      throw error;
    }
  }
}

/** The newest intact generation older than `damaged`, or null when there is none. */
async function loadOlderGeneration(
  indexDir: string,
  damaged: string,
  load: (dir: string) => Promise<SearchIndex>,
): Promise<LoadedIndex | null> {
  const candidates = (await readdir(indexDir))
    .filter((name) => isGenerationName(name) && name !== damaged)
    .sort()
    .reverse();
  for (const generation of candidates) {
    try {
      return { index: await load(join(indexDir, generation)), generation };
    } catch {
      // damaged too, or another embedder: try the next
    }
  }
  return null;
}

async function loadGeneration(
  dir: string,
  embeddings: EmbeddingsInterface,
  embedder: EmbedderIdentity,
  sourceDir: string | undefined,
): Promise<SearchIndex> {
  const manifest = await readGenerationManifest(dir);
  checkCompatible(manifest, embedder, dir);
  if (sourceDir !== undefined) checkSource(manifest, sourceDir, dir);
  const files = manifest.files;
  const contents = await readIndexContents(dir, manifest);
  return damagedUnlessRead(dir, async () => {
    const lexical = await MiniSearch.loadJSONAsync((await readVerified(dir, 'bm25.json', files)).toString('utf8'), LEXICAL_OPTIONS);
    let dense: HNSWLib;
    if (contents.chunks.length > 0) {
      const [args, docstore, index] = await Promise.all(DENSE_FILES.map((name) => readVerified(dir, name, files)));
      dense = await loadDenseIndex(
        dirname(dir), // the index folder: scratch is never written into a committed generation
        { 'hnsw/args.json': args, 'hnsw/docstore.json': docstore, 'hnsw/hnswlib.index': index },
        embeddings,
      );
    } else {
      dense = new HNSWLib(embeddings, { space: 'cosine', numDimensions: embedder.dimensions });
    }
    if (lexical.documentCount !== contents.chunks.length) throw new Error('BM25 index size differs from the manifest');
    if (contents.chunks.length > 0 && dense.index.getCurrentCount() !== contents.chunks.length) {
      throw new Error('vector index size differs from the manifest');
    }
    // Term frequencies serve every question; count them now, not on the first one.
    return assembleSearchIndex(contents, lexical, dense, await countTermFrequencies(contents.chunks));
  });
}

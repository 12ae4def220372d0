import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { LOADING_PREFIX, scratchName } from './index-layout.js';

/** The files HNSWLib.save writes, relative to the index's generation folder. */
export const DENSE_FILES = ['hnsw/args.json', 'hnsw/docstore.json', 'hnsw/hnswlib.index'] as const;

/**
 * Loads the HNSW index from bytes already verified against the manifest. hnswlib reads only from
 * a path, so the verified bytes are written to a private folder first and read from there:
 * native code never reads a file that could have changed since it was checked (a damaged HNSW
 * file crashes the process instead of failing). The folder sits in `indexDir` (same disk as the
 * index), or in the system's temporary folder when the index is read-only.
 */
export async function loadDenseIndex(
  indexDir: string,
  verified: Record<(typeof DENSE_FILES)[number], Buffer>,
  embeddings: EmbeddingsInterface,
): Promise<HNSWLib> {
  const scratch = await makeScratch(indexDir);
  try {
    for (const name of DENSE_FILES) await writeFile(join(scratch, name.slice('hnsw/'.length)), verified[name]);
    return await HNSWLib.load(scratch, embeddings);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function makeScratch(indexDir: string): Promise<string> {
  for (const parent of [indexDir, tmpdir()]) {
    const dir = join(parent, scratchName(LOADING_PREFIX));
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if (!['EACCES', 'EROFS', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
  throw new Error(`no writable folder to load the vector index from (tried ${indexDir} and ${tmpdir()})`);
}

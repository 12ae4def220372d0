import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { LOADING_PREFIX, scratchName } from './index-layout.js';
import type { DenseIndex } from './search-index.js';

const { HierarchicalNSW } = hnswlib;

/**
 * Loads the HNSW graph (cosine, `dimensions`) from a private copy of its file whose bytes were
 * verified against the manifest as they were copied (`copyVerified`, store/index-checksums.ts).
 * hnswlib reads only from a path, so it is given the copy: native code never reads a file that
 * could have changed since it was checked (a damaged HNSW file crashes the process instead of
 * failing). The copy sits in `indexDir` (same disk as the index), or in the system's temporary
 * folder when the index is read-only, and is removed once read.
 */
export async function loadDenseIndex(
  indexDir: string,
  copyVerified: (destination: string) => Promise<void>,
  dimensions: number,
): Promise<DenseIndex> {
  const scratch = await makeScratch(indexDir);
  try {
    const file = join(scratch, 'dense.hnsw');
    await copyVerified(file);
    const dense = new HierarchicalNSW('cosine', dimensions);
    await dense.readIndex(file);
    return dense;
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

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { LOADING_PREFIX, scratchName } from './index-layout.js';
import type { DenseIndex } from './search-index.js';

const { HierarchicalNSW } = hnswlib;

/**
 * Loads the HNSW graph (cosine, `dimensions`) from bytes already verified against the manifest.
 * hnswlib reads only from a path, so the verified bytes are written to a private folder first and
 * read from there: native code never reads a file that could have changed since it was checked
 * (a damaged HNSW file crashes the process instead of failing). The folder sits in `indexDir`
 * (same disk as the index), or in the system's temporary folder when the index is read-only.
 */
export async function loadDenseIndex(indexDir: string, verified: Buffer, dimensions: number): Promise<DenseIndex> {
  const scratch = await makeScratch(indexDir);
  try {
    const file = join(scratch, 'dense.hnsw');
    await writeFile(file, verified);
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

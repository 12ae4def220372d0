import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CURRENT_FILE,
  POINTER_TEMP_PREFIX,
  STAGING_PREFIX,
  isGenerationName,
  isLegacyLayout,
  newGenerationName,
  readCurrentGeneration,
  scratchName,
} from './index-layout.js';
import { recoverIndex } from './recover-index.js';
import { syncPath, syncTree } from './sync-to-disk.js';

/** The steps of a commit, in order; `onStep` observes each (tests kill the process at every one). */
export type CommitStep = 'generation-written' | 'generation-renamed' | 'pointer-written' | 'pointer-swapped' | 'pruned';

/** The files of the layout before generations, removed once a generation replaces them. */
const LEGACY_FILES = ['manifest.json', 'documents.json', 'chunks.json', 'vectors.f32', 'bm25.json', 'hnsw'];

/** Creates an empty staging folder inside `indexDir` (clearing what dead ingests left there); nothing is visible until commit. */
export async function createStagingDir(indexDir: string): Promise<string> {
  await mkdir(indexDir, { recursive: true });
  await recoverIndex(indexDir);
  const staging = join(indexDir, scratchName(STAGING_PREFIX));
  await mkdir(staging);
  return staging;
}

/**
 * Makes the complete staging folder the index in use, atomically across a kill at any point:
 * the staging folder becomes a generation (one rename), then CURRENT is swapped to name it (one
 * rename of a flushed pointer file). Before the swap readers see the previous generation whole;
 * after it, the new one. Only then are older generations removed, keeping the one just replaced,
 * so the last intact index is never deleted. Returns the new generation's name.
 */
export async function commitGeneration(
  staging: string,
  indexDir: string,
  options: { now?: Date; onStep?: (step: CommitStep) => void } = {},
): Promise<string> {
  const step = options.onStep ?? (() => {});
  await syncTree(staging);
  step('generation-written');
  const previous = await readCurrentGeneration(indexDir).catch(() => null);
  const generation = newGenerationName(options.now ?? new Date());
  await rename(staging, join(indexDir, generation));
  await syncPath(indexDir);
  step('generation-renamed');
  const pointer = join(indexDir, scratchName(POINTER_TEMP_PREFIX));
  await writeFile(pointer, `${generation}\n`);
  await syncPath(pointer);
  step('pointer-written');
  const legacy = isLegacyLayout(indexDir);
  await rename(pointer, join(indexDir, CURRENT_FILE));
  await syncPath(indexDir);
  step('pointer-swapped');
  await pruneGenerations(indexDir, generation, previous, legacy);
  step('pruned');
  return generation;
}

/**
 * Removes the generations older than `generation` but `previous` (and the old layout's files,
 * once a generation has replaced them). Newer ones are left: they belong to an ingest that
 * committed after this one began, and may be about to become CURRENT.
 */
async function pruneGenerations(indexDir: string, generation: string, previous: string | null, legacy: boolean): Promise<void> {
  for (const name of await readdir(indexDir)) {
    const stale = (isGenerationName(name) && name < generation && name !== previous) || (legacy && LEGACY_FILES.includes(name));
    if (stale) await rm(join(indexDir, name), { recursive: true, force: true });
  }
}

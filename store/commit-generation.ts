import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { markCommitted } from './commit-marker.js';
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
export type CommitStep =
  'generation-written' | 'generation-renamed' | 'pointer-written' | 'pointer-swapped' | 'generation-marked' | 'pruned';

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
 * after it, the new one. Then the generation is marked committed (a fallback candidate from then
 * on), and only then are older generations removed, keeping the one just replaced, so the last
 * intact index is never deleted. Returns the new generation's name.
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
  await markCommitted(indexDir, generation);
  step('generation-marked');
  await pruneGenerations(indexDir, generation, replacedGeneration(indexDir, previous), legacy);
  step('pruned');
  return generation;
}

/**
 * The generation the new one replaced: the one CURRENT named before the swap, when it is there
 * with its manifest. Null when CURRENT was missing, unreadable or named something else (damage:
 * nothing says which generations are disposable then, so none is removed).
 */
function replacedGeneration(indexDir: string, previous: string | null): string | null {
  return previous !== null && existsSync(join(indexDir, previous, 'manifest.json')) ? previous : null;
}

/**
 * Removes the generations older than `generation` but `replaced`, which stays as the fallback
 * (and the old layout's files, once a generation has replaced them); with no `replaced`, no
 * generation is removed. Newer ones are left: they belong to an ingest that committed after this
 * one began, and may be about to become CURRENT.
 */
async function pruneGenerations(indexDir: string, generation: string, replaced: string | null, legacy: boolean): Promise<void> {
  for (const name of await readdir(indexDir)) {
    const stale =
      (replaced !== null && isGenerationName(name) && name < generation && name !== replaced) || (legacy && LEGACY_FILES.includes(name));
    if (stale) await rm(join(indexDir, name), { recursive: true, force: true });
  }
}

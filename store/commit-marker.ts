import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { COMMIT_MARKER, isGenerationName } from './index-layout.js';
import { syncPath } from './sync-to-disk.js';

/**
 * Records that CURRENT has named `generation`: a file inside it holding its own name, flushed.
 * It is written only after the swap of CURRENT, so a generation a killed ingest renamed into place
 * but never pointed CURRENT at is never marked (a kill between the swap and the mark is repaired by
 * recoverIndex, which marks the generation CURRENT names).
 */
export async function markCommitted(indexDir: string, generation: string): Promise<void> {
  const marker = join(indexDir, generation, COMMIT_MARKER);
  await writeFile(marker, `${generation}\n`);
  await syncPath(marker);
  await syncPath(join(indexDir, generation));
}

/** Whether `generation` carries its commit mark (naming itself: a copied or damaged mark does not count). */
export async function isCommitted(indexDir: string, generation: string): Promise<boolean> {
  try {
    return (await readFile(join(indexDir, generation, COMMIT_MARKER), 'utf8')) === `${generation}\n`;
  } catch {
    return false;
  }
}

/** The generations in `indexDir`, newest first, split by whether CURRENT is known to have named them. */
export async function listGenerations(indexDir: string): Promise<{ committed: string[]; uncommitted: string[] }> {
  let names: string[];
  try {
    names = (await readdir(indexDir)).filter(isGenerationName).sort().reverse();
  } catch {
    return { committed: [], uncommitted: [] };
  }
  const committed: string[] = [];
  const uncommitted: string[] = [];
  for (const name of names) ((await isCommitted(indexDir, name)) ? committed : uncommitted).push(name);
  return { committed, uncommitted };
}

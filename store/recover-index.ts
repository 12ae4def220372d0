import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isCommitted, markCommitted } from './commit-marker.js';
import { HOST_TAG, LOADING_PREFIX, POINTER_TEMP_PREFIX, STAGING_PREFIX, readCurrentGeneration } from './index-layout.js';

/** Scratch of a process on another host (another container on a shared volume) is left this long. */
const FOREIGN_SCRATCH_MS = 24 * 60 * 60 * 1000;

/**
 * Removes what a killed ingest or load left in `indexDir`: staging folders, verified copies
 * and pointer files of processes that are gone (on another host, whose processes cannot be
 * checked, once a day old). Generations and CURRENT are never removed, so the index in use stays
 * whole; the generation CURRENT names is marked committed if an ingest was killed between the swap
 * of CURRENT and the mark. Returns the names it removed.
 */
export async function recoverIndex(indexDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(indexDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const owner = leftoverOwner(name);
    if (owner === null) continue;
    const gone =
      owner.host === HOST_TAG ? !processIsAlive(owner.pid) : Date.now() - (await stat(join(indexDir, name))).mtimeMs > FOREIGN_SCRATCH_MS;
    if (!gone) continue;
    await rm(join(indexDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  await finishCommit(indexDir);
  return removed;
}

/** Marks the generation CURRENT names committed, when it is there and unmarked: CURRENT naming it is the commit. */
async function finishCommit(indexDir: string): Promise<void> {
  const current = await readCurrentGeneration(indexDir).catch(() => null);
  if (current === null || (await isCommitted(indexDir, current))) return;
  const isFolder = await stat(join(indexDir, current)).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isFolder) await markCommitted(indexDir, current);
}

/** The process and host in a scratch entry's name, or null when the entry is not scratch. */
function leftoverOwner(name: string): { pid: number; host: string } | null {
  for (const prefix of [STAGING_PREFIX, LOADING_PREFIX, POINTER_TEMP_PREFIX]) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)-([0-9a-f]{8})-/.exec(name.slice(prefix.length));
    return match ? { pid: Number(match[1]), host: match[2] } : null;
  }
  return null;
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

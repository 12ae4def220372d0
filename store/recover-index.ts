import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LOADING_PREFIX, POINTER_TEMP_PREFIX, STAGING_PREFIX } from './index-layout.js';

/**
 * Removes what a killed ingest or load left in `indexDir`: staging folders, verified copies
 * and pointer files of processes that are gone. Committed generations and CURRENT are never
 * touched, so the index in use stays whole. Returns the names it removed.
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
    if (owner === null || processIsAlive(owner)) continue;
    await rm(join(indexDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The process id in a scratch entry's name, or null when the entry is not scratch. */
function leftoverOwner(name: string): number | null {
  for (const prefix of [STAGING_PREFIX, LOADING_PREFIX, POINTER_TEMP_PREFIX]) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
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

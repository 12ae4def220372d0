import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Flushes a file or folder to disk. A rename is atomic but only durable once the renamed files
 * and the folder holding the new name are flushed: without this a power cut right after a commit
 * could leave CURRENT naming a generation whose files never reached the disk.
 */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot flush a folder; the files themselves were flushed.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** Flushes every file and folder under `dir`, then `dir` itself. */
export async function syncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(path);
    else if (entry.isFile()) await syncPath(path);
  }
  await syncPath(dir);
}

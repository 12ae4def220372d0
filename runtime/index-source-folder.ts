import { readManifest } from '../store/index-files.js';

/** The folder the index at `indexDir` was built from, as its manifest records it; null when it cannot be read. */
export async function indexSourceFolder(indexDir: string): Promise<string | null> {
  try {
    return (await readManifest(indexDir)).sourceDir;
  } catch {
    return null;
  }
}

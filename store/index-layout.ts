import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The layout of an index folder:
 *
 *   CURRENT              the name of the generation in use, one line; swapped by one rename
 *   g-<time>-<hex>/      generations: complete indexes whose files never change once renamed in
 *   g-<time>-<hex>/COMMITTED   added once CURRENT has named the generation; only these are ever fallbacks
 *   .staging-<pid>-<host>-<hex>/   a generation being written by an ingest (process <pid> on host <host>)
 *   .loading-<pid>-<host>-<hex>/   verified copies of native files while that process loads them
 *
 * A reader resolves CURRENT once and reads every file from that one generation, so it never
 * sees two generations at once; a writer only ever adds a generation and then swaps CURRENT.
 * A missing or unreadable CURRENT, or one naming a generation that is not there, is damage:
 * the generations stay, and a start serves the newest committed one (store/load-index.ts).
 */
export const CURRENT_FILE = 'CURRENT';
export const STAGING_PREFIX = '.staging-';
export const LOADING_PREFIX = '.loading-';
export const POINTER_TEMP_PREFIX = '.CURRENT.';
/** The file inside a generation that says CURRENT has named it (store/commit-marker.ts). */
export const COMMIT_MARKER = 'COMMITTED';
const GENERATION_NAME = /^g-\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/** A new generation name; names sort by creation time. */
export function newGenerationName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `g-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Whether a folder entry is a generation's name. */
export function isGenerationName(name: string): boolean {
  return GENERATION_NAME.test(name);
}

/** A short tag of this machine's name: a process id only identifies a process on its own host (or container). */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** A private scratch folder name for this process, under `indexDir`. */
export function scratchName(prefix: string): string {
  return `${prefix}${process.pid}-${HOST_TAG}-${randomBytes(4).toString('hex')}`;
}

/** The generation CURRENT names, or null when there is no pointer (no index yet, or one of the old layout). */
export async function readCurrentGeneration(indexDir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(indexDir, CURRENT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const name = text.trim();
  if (!isGenerationName(name)) throw new Error(`${join(indexDir, CURRENT_FILE)} does not name a generation`);
  return name;
}

/** Whether `indexDir` holds an index of the layout before generations (files at its top). */
export function isLegacyLayout(indexDir: string): boolean {
  return existsSync(join(indexDir, 'manifest.json')) && !existsSync(join(indexDir, CURRENT_FILE));
}

/** When a generation was created, from its name (the inverse of newGenerationName); null for another name. */
export function generationTime(name: string): Date | null {
  const match = /^g-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[0-9a-f]{6}$/.exec(name);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, ms] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`);
}

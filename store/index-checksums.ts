import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createYielder } from './yield-to-event-loop.js';

/** Size and SHA-256 of one index file, as the manifest records it. */
export interface FileChecksum {
  bytes: number;
  sha256: string;
}

/** Bytes hashed between two yields to the event loop. */
const HASH_SLICE = 1 << 20;

/** SHA-256 of `bytes`, hashed in slices so a large file does not hold the event loop. */
export async function sha256Of(bytes: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  const pause = createYielder();
  for (let offset = 0; offset < bytes.length; offset += HASH_SLICE) {
    hash.update(bytes.subarray(offset, offset + HASH_SLICE));
    await pause();
  }
  return hash.digest('hex');
}

/** The checksum of every file under `dir` but `skip`, keyed by its path relative to `dir` with "/" separators. */
export async function checksumTree(dir: string, skip: string[] = []): Promise<Record<string, FileChecksum>> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((name) => !skip.includes(name))
    .sort();
  const checksums: Record<string, FileChecksum> = {};
  for (const name of files) {
    const bytes = await readFile(join(dir, name));
    checksums[name] = { bytes: bytes.length, sha256: await sha256Of(bytes) };
  }
  return checksums;
}

/**
 * Reads `name` from `dir` and returns its bytes only when they match the checksum recorded for
 * it: nothing parses, and no native code touches, bytes that were not verified. Throws a plain
 * Error naming the problem; callers wrap it in their own error type.
 */
export async function readVerified(dir: string, name: string, checksums: Record<string, FileChecksum>): Promise<Buffer> {
  const expected = checksums[name];
  if (!expected) throw new Error(`${name} has no checksum in the manifest`);
  const bytes = await readFile(join(dir, name));
  if (bytes.length !== expected.bytes) throw new Error(`${name} is ${bytes.length} bytes, the manifest says ${expected.bytes}`);
  if ((await sha256Of(bytes)) !== expected.sha256) throw new Error(`${name} does not match its checksum`);
  return bytes;
}

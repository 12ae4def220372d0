import { createHash } from 'node:crypto';
import { closeSync, openSync, read, write } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { createYielder } from './yield-to-event-loop.js';

const readAt = promisify(read);
const writeAt = promisify(write);

/** Size and SHA-256 of one index file, as the manifest records it. */
export interface FileChecksum {
  bytes: number;
  sha256: string;
}

/** Bytes hashed between two yields to the event loop. */
const HASH_SLICE = 1 << 20;
/** Bytes read at a time when a file is hashed from disk rather than from memory. */
const READ_SLICE = 4 << 20;

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

/**
 * Size and SHA-256 of what an open file holds, read through `fd` a slice at a time (and each
 * slice written to `copyTo` when given): files of a gigabyte (texts.bin at a million chunks) are
 * hashed without being held in memory.
 */
async function checksumOfDescriptor(fd: number, copyTo?: number): Promise<FileChecksum> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(READ_SLICE);
  let bytes = 0;
  for (;;) {
    const { bytesRead } = await readAt(fd, buffer, 0, READ_SLICE, bytes);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    for (let done = 0; copyTo !== undefined && done < bytesRead;)
      done += (await writeAt(copyTo, buffer, done, bytesRead - done)).bytesWritten;
    bytes += bytesRead;
  }
  return { bytes, sha256: hash.digest('hex') };
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
    const fd = openSync(join(dir, name), 'r');
    try {
      checksums[name] = await checksumOfDescriptor(fd);
    } finally {
      closeSync(fd);
    }
  }
  return checksums;
}

/**
 * Reads `name` from `dir` and returns its bytes only when they match the checksum recorded for
 * it: nothing parses, and no native code touches, bytes that were not verified. Throws a plain
 * Error naming the problem; callers wrap it in their own error type.
 */
export async function readVerified(dir: string, name: string, checksums: Record<string, FileChecksum>): Promise<Buffer> {
  const expected = expectedChecksum(name, checksums);
  const bytes = await readFile(join(dir, name));
  if (bytes.length !== expected.bytes) throw new Error(`${name} is ${bytes.length} bytes, the manifest says ${expected.bytes}`);
  if ((await sha256Of(bytes)) !== expected.sha256) throw new Error(`${name} does not match its checksum`);
  return bytes;
}

/**
 * Copies `name` from `dir` to `destination` (a private file) and returns once the bytes copied
 * match the recorded checksum: native code that reads only from a path (hnswlib) is then given
 * the copy, which holds exactly the verified bytes, without the file being held in memory.
 */
export async function copyVerified(dir: string, name: string, checksums: Record<string, FileChecksum>, destination: string): Promise<void> {
  const expected = expectedChecksum(name, checksums);
  const source = openSync(join(dir, name), 'r');
  const copy = openSync(destination, 'w');
  try {
    checkAgainst(name, await checksumOfDescriptor(source, copy), expected);
  } finally {
    closeSync(source);
    closeSync(copy);
  }
}

/**
 * Opens `name` in `dir` and returns the descriptor once what it reads matches the recorded
 * checksum, for files read in parts later (document texts) rather than held in memory. Later
 * reads go through this descriptor, so a generation swapped in by a later ingest (a rename) is
 * never mixed in; committed generations are not changed in place.
 */
export async function openVerified(dir: string, name: string, checksums: Record<string, FileChecksum>): Promise<number> {
  const expected = expectedChecksum(name, checksums);
  const fd = openSync(join(dir, name), 'r');
  try {
    checkAgainst(name, await checksumOfDescriptor(fd), expected);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

function checkAgainst(name: string, actual: FileChecksum, expected: FileChecksum): void {
  if (actual.bytes !== expected.bytes) throw new Error(`${name} is ${actual.bytes} bytes, the manifest says ${expected.bytes}`);
  if (actual.sha256 !== expected.sha256) throw new Error(`${name} does not match its checksum`);
}

function expectedChecksum(name: string, checksums: Record<string, FileChecksum>): FileChecksum {
  const expected = checksums[name];
  if (!expected) throw new Error(`${name} has no checksum in the manifest`);
  return expected;
}

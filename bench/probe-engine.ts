// One engine in a fresh process, so its load time and memory are its own: loads the index at
// argv[3] (the new engine from its files; the old one rebuilt from the same chunks, saved as
// minisearch JSON and loaded back, as it used to be), then times retrieval over the queries in
// argv[4]. Prints one JSON line. Run by bench/growth.ts with --expose-gc.
import { readFileSync } from 'node:fs';
import { writeFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { loadConfig } from '../config/load-config.js';
import type { PassageStore } from '../core/contracts/passage-store.js';
import { retrievePassages } from '../core/retrieve/retrieve-passages.js';
import { createLocalEmbedder } from '../embeddings/create-embeddings.js';
import { percentile } from '../eval/metrics.js';
import { headingFieldText } from '../core/chunks/heading-field.js';
import { loadSearchIndex } from '../store/load-index.js';
import { OLD_LEXICAL_OPTIONS, buildOldLexical, countOldFrequencies, oldEngineStore } from './old-engine.js';

const [engine, indexDir, queriesFile, limitText] = process.argv.slice(2);
const config = loadConfig({ ...process.env, EMBEDDINGS: 'local' });
const embedder = createLocalEmbedder(config.WORD_VECTORS_CACHE);
const queries = (JSON.parse(readFileSync(queriesFile, 'utf8')) as string[]).slice(0, Number(limitText));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rssMb = () => {
  gc();
  return Math.round(process.memoryUsage().rss / 2 ** 20);
};

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number | null) => Math.round((v ?? 0) * 1000) / 1000;
  return { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), p99: round(percentile(sorted, 0.99)) };
}

async function latency(store: PassageStore, denseWeight: number) {
  const samples: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await retrievePassages(store, embedder.embeddings, query, { k: 10, denseWeight });
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function main() {
  const baseRss = rssMb();
  let started = performance.now();
  const index = await loadSearchIndex(indexDir, embedder.identity);
  let loadSeconds = (performance.now() - started) / 1000;
  let store: PassageStore = index;
  const notes: string[] = [];
  let buildSeconds: number | null = null;
  if (engine === 'old') {
    const chunkIds = Array.from({ length: index.chunkCount }, (_, i) => index.chunkIdAt(i));
    const texts: string[] = [];
    const headings: string[] = [];
    for (let i = 0; i < chunkIds.length; i += 10_000) {
      for (const chunk of await index.getChunks(chunkIds.slice(i, i + 10_000))) {
        texts.push(chunk.text);
        // A stored chunk carries its document's path and the blocks it overlaps: all its heading field needs.
        headings.push(headingFieldText(chunk, chunk));
      }
    }
    const fields = { text: texts, heading: headings };
    started = performance.now();
    let lexical = buildOldLexical(fields);
    buildSeconds = Math.round(performance.now() - started) / 1000;
    // The old load: parse bm25.json, then count every term's frequency over all chunks.
    const file = join(indexDir, 'old-bm25.json');
    try {
      await writeFile(file, JSON.stringify(lexical));
      lexical = null as unknown as MiniSearch;
      gc();
      started = performance.now();
      lexical = MiniSearch.loadJSON(await readFile(file, 'utf8'), OLD_LEXICAL_OPTIONS);
      loadSeconds = (performance.now() - started) / 1000;
    } catch (error) {
      notes.push(`bm25.json could not be written or read: ${(error as Error).message.split('\n')[0]}`);
      lexical ??= buildOldLexical(fields);
      loadSeconds = NaN;
    } finally {
      await rm(file, { force: true });
    }
    started = performance.now();
    const frequencies = countOldFrequencies(texts);
    if (Number.isFinite(loadSeconds)) loadSeconds += (performance.now() - started) / 1000;
    texts.length = 0;
    headings.length = 0;
    store = oldEngineStore(index, lexical, frequencies);
  }
  const rss = rssMb();
  const result = {
    engine,
    queries: queries.length,
    buildSeconds,
    loadSeconds: Number.isFinite(loadSeconds) ? Math.round(loadSeconds * 100) / 100 : null,
    rssMb: rss,
    indexRssMb: rss - baseRss,
    bm25: await latency(store, 0),
    dense: await latency(store, 1),
    hybrid: await latency(store, 0.5),
    notes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

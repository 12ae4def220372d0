import { cpSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { percentile } from '../eval/metrics.js';
import { rssMb, startServer } from './start-server.js';

/** One server start with some collections: how long until every one answers, and its memory. */
export interface CollectionsRow {
  /** Collections served, the default (the bundled corpus) among them. */
  collections: number;
  /** Chunks of each collection but the default. */
  chunksEach: number;
  chunksInAll: number;
  /** `npm start` to /readyz 200, which waits for every collection. */
  coldStartMs: number;
  /** The part of it after the port listens: loading every collection. */
  loadingMs: number | null;
  rssMbAtStart: number;
  /** After one answer from each collection. */
  rssMbAfterAnswers: number;
  /** The first answer from each collection, through POST /v1/answer. */
  firstAnswerMsP50: number;
  firstAnswerMsMax: number;
}

export interface CollectionsBenchOptions {
  root: string;
  workDir: string;
  /** The bundled corpus's index: the default collection, and the copies of the smaller rows. */
  bundled: { indexDir: string; chunks: number; question: string };
  /** A large generated index, copied into the two large rows. */
  large: { indexDir: string; chunks: number; question: string };
  /** Collection counts of the bundled-size rows (the default included). */
  counts: number[];
  log: (line: string) => void;
}

/**
 * Memory and cold start as collections are added: the default plus copies of the bundled
 * corpus's index (1, 5 and 20 collections), then the default plus one and plus two large
 * collections. Each copy is a collection of its own on disk and in memory, as different documents
 * of the same size would be. One worker, so the process measured is the one serving.
 */
export async function benchCollections(options: CollectionsBenchOptions): Promise<CollectionsRow[]> {
  // An unmeasured start first: the first process of a run also fills tsx's compile cache.
  await measure(options, [], 'a warm-up start');
  const rows: CollectionsRow[] = [];
  for (const count of options.counts) {
    rows.push(
      await measure(
        options,
        Array.from({ length: count - 1 }, () => options.bundled),
        `${count} collections of the bundled size`,
      ),
    );
  }
  for (const large of [1, 2]) {
    rows.push(
      await measure(
        options,
        Array.from({ length: large }, () => options.large),
        `the default and ${large} × ${options.large.chunks} chunks`,
      ),
    );
  }
  return rows;
}

async function measure(
  options: CollectionsBenchOptions,
  others: CollectionsBenchOptions['large'][],
  label: string,
): Promise<CollectionsRow> {
  const collectionsDir = join(options.workDir, `collections-${Date.now()}`);
  mkdirSync(collectionsDir, { recursive: true });
  const names = others.map((_, i) => `c${String(i + 1).padStart(2, '0')}`);
  others.forEach((other, i) => cpSync(other.indexDir, join(collectionsDir, names[i]), { recursive: true }));
  options.log(`collections: starting with ${label}`);
  const server = await startServer(options.root, options.bundled.indexDir, 1, { COLLECTIONS_INDEX_DIR: collectionsDir });
  try {
    const asked = [
      { name: 'default', question: options.bundled.question },
      ...others.map((other, i) => ({ name: names[i], question: other.question })),
    ];
    const samples: number[] = [];
    for (const { name, question } of asked) {
      const started = performance.now();
      const response = await fetch(`${server.base}/v1/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question, collection: name }),
      });
      if (!response.ok) throw new Error(`collection ${name} answered ${response.status}: ${await response.text()}`);
      await response.json();
      samples.push(performance.now() - started);
    }
    const sorted = samples.sort((a, b) => a - b);
    return {
      collections: asked.length,
      chunksEach: others[0]?.chunks ?? options.bundled.chunks,
      chunksInAll: options.bundled.chunks + others.reduce((sum, other) => sum + other.chunks, 0),
      coldStartMs: server.coldStartMs,
      loadingMs: server.listeningMs === null ? null : server.coldStartMs - server.listeningMs,
      rssMbAtStart: server.rssMbAtStart,
      rssMbAfterAnswers: rssMb(server.pid),
      firstAnswerMsP50: Math.round(percentile(sorted, 0.5) ?? 0),
      firstAnswerMsMax: Math.round(sorted.at(-1) ?? 0),
    };
  } finally {
    await server.stop();
    await rm(collectionsDir, { recursive: true, force: true });
  }
}

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { EmbedderIdentity, PassageStore } from '../core/contracts/passage-store.js';
import type { Chunk, StoredDocument } from '../core/contracts/types.js';
import { createEngine } from '../core/engine.js';
import type { EmbedderSetup } from '../embeddings/create-embeddings.js';
import { percentile } from '../eval/metrics.js';
import { chunkDocument } from '../ingest/chunk-document.js';
import { commitGeneration, createStagingDir } from '../store/commit-generation.js';
import { INDEX_FORMAT_VERSION, writeIndexFiles } from '../store/index-files.js';
import { buildLexicalIndex } from '../store/lexical/build-lexical-index.js';
import { openDatabase, type Database } from '../store/postgres/database-pool.js';
import { generationTables, type LexicalSearchKind } from '../store/postgres/generation-tables.js';
import { openPostgresStore, type PostgresPassageStore } from '../store/postgres/postgres-passage-store.js';
import { readCurrentGeneration } from '../store/postgres/read-generation.js';
import { removeCollection } from '../store/postgres/remove-collection.js';
import { writeGeneration, type GenerationDocument } from '../store/postgres/write-generation.js';
import { buildDenseIndex, lexicalFieldTexts, searchIndexOf } from '../store/search-index.js';
import type { BenchDocument } from './realistic-corpus.js';
import type { Stats } from './render-results.js';
import { rssMb, startServer, type StartedServer } from './start-server.js';

/** Retrieval time of one store at one size: engine.search (the question embedded, lexical and dense search, fused). */
export interface StoreRetrieval {
  store: string;
  /** Seconds to write the index: the local index's build and files, or the generation's rows, indexes and commit. */
  writeSeconds: number;
  /** Disk the store takes: the local index folder, or the generation's tables with their indexes (TOAST included). */
  diskMb: number;
  /** The Postgres generation's parts, in MB: documents, text pieces, blocks, chunks, vectors with HNSW, lexical terms with their index, term counts. */
  tablesMb?: Record<string, number>;
  retrievalMs: Stats;
  /** Beside the local store's passages for the same questions: the share with the very same top 5 in order, and the mean share of its 5 found. */
  sameTop5?: number;
  overlapAt5?: number;
}

/** /v1/answer under load on one store with some replicas (one server process each, WORKERS=1). */
export interface ReplicaThroughput {
  store: string;
  replicas: number;
  requestsPerSecond: number;
  /** The replicas' median and 99th percentile latency (the slower replica's). */
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  /** Resident memory of the first replica, right after start and after the load. */
  rssMbAtStart: number;
  rssMbAfterLoad: number;
}

export interface PostgresRow {
  chunks: number;
  documents: number;
  retrieval: StoreRetrieval[];
  throughput: ReplicaThroughput[];
}

export interface PostgresBenchOptions {
  root: string;
  workDir: string;
  /** Documents of about `chunks` chunks in all. */
  documentsFor: (chunks: number) => Iterable<BenchDocument>;
  /** Questions asked: retrieval over all of them, the load rotating through them. */
  questions: string[];
  embedder: EmbedderSetup;
  sizes: number[];
  httpSeconds: number;
  warmUpSeconds: number;
  log: (line: string) => void;
}

const seconds = (started: number) => Math.round((performance.now() - started) / 10) / 100;

/**
 * The Postgres store beside the local one on the same chunks and vectors, at each size: how long
 * each takes to write, retrieval p50/p95 (the local index in memory; Postgres over the wire from
 * an embedded database in a process of its own, with BM25 candidates from pg_textsearch and with
 * full-text search), and /v1/answer throughput with one and two replicas of each store. The
 * embedded database is PGlite: one Postgres session that every connection takes turns on, so
 * the figures are those of the embedded database, not of a Postgres server.
 */
export async function benchPostgres(options: PostgresBenchOptions): Promise<PostgresRow[]> {
  const rows: PostgresRow[] = [];
  for (const size of options.sizes) {
    const dir = join(options.workDir, `postgres-${size}`);
    await mkdir(dir, { recursive: true });
    const embedded = await startEmbeddedProcess(options.root, options.log);
    const database = openDatabase({ url: embedded.url, poolSize: 4, statementTimeoutMs: 600_000, applicationName: 'verbatim bench' });
    try {
      rows.push(await benchSize(size, dir, database, embedded.url, options));
    } finally {
      await database.close();
      await embedded.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function benchSize(size: number, dir: string, database: Database, url: string, options: PostgresBenchOptions): Promise<PostgresRow> {
  const { log } = options;
  const identity = options.embedder.identity;
  const contents = await embedCorpus(size, options.documentsFor, options.embedder.embeddings, identity, log);
  const chunks = contents.chunks.length;
  log(`postgres at ${chunks} chunks: writing the local index`);
  let started = performance.now();
  const indexDir = join(dir, 'index');
  const local = await writeLocalIndex(contents, identity, indexDir);
  const unmeasured = { p50: 0, p95: 0, p99: 0 };
  const retrieval: StoreRetrieval[] = [
    { store: 'local', writeSeconds: seconds(started), diskMb: await folderMb(indexDir), retrievalMs: unmeasured },
  ];
  const stores: PassageStore[] = [local];
  for (const lexical of ['bm25', 'fts'] as const) {
    log(`postgres at ${chunks} chunks: writing a generation with ${lexical} candidates`);
    started = performance.now();
    const store = await writePostgresGeneration(database, contents, identity, lexical);
    const writeSeconds = seconds(started);
    const tablesMb = await generationMb(database, store.generation.id);
    const diskMb = Math.round(Object.values(tablesMb).reduce((sum, mb) => sum + mb, 0));
    stores.push(store);
    retrieval.push({ store: `postgres (${lexical})`, writeSeconds, diskMb, tablesMb, retrievalMs: unmeasured });
  }
  let localTop: string[][] = [];
  for (const [i, store] of stores.entries()) {
    log(`postgres at ${chunks} chunks: retrieval on ${retrieval[i].store}`);
    const { stats, top } = await retrievalLatency(store, options);
    retrieval[i].retrievalMs = stats;
    if (i === 0) localTop = top;
    else Object.assign(retrieval[i], agreement(localTop, top));
  }
  // The servers serve `default` alone, as the local ones do.
  await removeCollection(database, 'fts');
  const throughput: ReplicaThroughput[] = [];
  const servers: Record<string, Record<string, string>> = {
    local: {},
    'postgres (bm25)': { STORE: 'postgres', DATABASE_URL: url, DATABASE_POOL_SIZE: '8' },
  };
  for (const [store, env] of Object.entries(servers)) {
    for (const replicas of [1, 2]) {
      log(`postgres at ${chunks} chunks: /v1/answer on ${store} with ${replicas} replica(s)`);
      throughput.push(await loadReplicas(store, replicas, indexDir, env, options));
    }
  }
  return { chunks, documents: contents.documents.length, retrieval, throughput };
}

interface Contents {
  documents: StoredDocument[];
  chunks: Chunk[];
  vectors: Float32Array;
}

async function embedCorpus(
  target: number,
  documentsFor: PostgresBenchOptions['documentsFor'],
  embeddings: EmbeddingsInterface,
  identity: EmbedderIdentity,
  log: (line: string) => void,
): Promise<Contents> {
  const documents: StoredDocument[] = [];
  const chunks: Chunk[] = [];
  for (const document of documentsFor(target)) {
    if (chunks.length >= target) break;
    chunks.push(...(await chunkDocument(document, { chunkSize: 1000, chunkOverlap: 200 })));
    documents.push({ ...document, hash: `bench-${documents.length}` });
  }
  log(`postgres at ${chunks.length} chunks: embedding`);
  const vectors = new Float32Array(chunks.length * identity.dimensions);
  for (let i = 0; i < chunks.length; i += 1000) {
    const rows = await embeddings.embedDocuments(chunks.slice(i, i + 1000).map((chunk) => chunk.text));
    rows.forEach((row, j) => vectors.set(row, (i + j) * identity.dimensions));
  }
  return { documents, chunks, vectors };
}

/** The local index of the contents, written and committed as an ingest writes it. */
async function writeLocalIndex(contents: Contents, identity: EmbedderIdentity, indexDir: string): Promise<PassageStore> {
  const lexical = buildLexicalIndex(lexicalFieldTexts(contents));
  const dense = buildDenseIndex(contents.vectors, identity.dimensions);
  const index = searchIndexOf({ embedder: identity, ...contents }, lexical, dense);
  const staging = await createStagingDir(indexDir);
  await writeIndexFiles(staging, index.parts, contents.documents, contents.vectors, dense, {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: identity,
    chunking: { chunkSize: 1000, chunkOverlap: 200 },
    sourceDir: indexDir,
    documents: index.parts.documents,
    counts: { documents: contents.documents.length, chunks: contents.chunks.length },
    createdAt: new Date().toISOString(),
  });
  await commitGeneration(staging, indexDir);
  return index;
}

/** The same contents as a generation of the collection `default` (bm25) or `fts`, committed. */
async function writePostgresGeneration(
  database: Database,
  contents: Contents,
  identity: EmbedderIdentity,
  lexical: LexicalSearchKind,
): Promise<PostgresPassageStore> {
  const collection = lexical === 'bm25' ? 'default' : 'fts';
  await writeGeneration(database, {
    collection,
    embedder: identity,
    chunking: { chunkSize: 1000, chunkOverlap: 200 },
    source: 'bench',
    lexical,
    documents: contents.documents as GenerationDocument[],
    chunks: contents.chunks,
    vectors: contents.vectors,
    graceSeconds: 0,
  });
  return openPostgresStore(database, (await readCurrentGeneration(database, collection))!);
}

/** engine.search (k 5) over every question, one at a time, after one unmeasured round of 20; and the passages each found. */
async function retrievalLatency(store: PassageStore, options: PostgresBenchOptions): Promise<{ stats: Stats; top: string[][] }> {
  const engine = createEngine({ store, embedder: options.embedder });
  for (const question of options.questions.slice(0, 20)) await engine.search(question, 5);
  const samples: number[] = [];
  const top: string[][] = [];
  for (const question of options.questions) {
    const started = performance.now();
    const passages = await engine.search(question, 5);
    samples.push(performance.now() - started);
    top.push(passages.map((passage) => `${passage.docId}:${passage.start}-${passage.end}`));
  }
  const sorted = samples.sort((a, b) => a - b);
  const round = (value: number | null) => Math.round((value ?? 0) * 100) / 100;
  return {
    stats: { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), p99: round(percentile(sorted, 0.99)) },
    top,
  };
}

/** How far another store's top 5 agrees with the local store's, question by question. */
function agreement(local: string[][], other: string[][]): { sameTop5: number; overlapAt5: number } {
  let same = 0;
  let overlap = 0;
  local.forEach((expected, i) => {
    if (expected.join('\n') === other[i].join('\n')) same++;
    overlap += expected.length === 0 ? 1 : expected.filter((id) => other[i].includes(id)).length / expected.length;
  });
  const share = (value: number) => Math.round((value / local.length) * 1000) / 1000;
  return { sameTop5: share(same), overlapAt5: share(overlap) };
}

/** `replicas` server processes of one store, loaded at once (4 connections each), rotating through the questions. */
async function loadReplicas(
  store: string,
  replicas: number,
  indexDir: string,
  env: Record<string, string>,
  options: PostgresBenchOptions,
): Promise<ReplicaThroughput> {
  const servers: StartedServer[] = [];
  try {
    for (let i = 0; i < replicas; i++) servers.push(await startServer(options.root, indexDir, 1, { INDEX_RELOAD_SECONDS: '0', ...env }));
    const load = (server: StartedServer, duration: number) => {
      let next = 0;
      return autocannon({
        url: `${server.base}/v1/answer`,
        connections: 4,
        duration,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({ question: options.questions[next++ % options.questions.length] }),
            }),
          },
        ],
      });
    };
    await Promise.all(servers.map((server) => load(server, options.warmUpSeconds)));
    const results = await Promise.all(servers.map((server) => load(server, options.httpSeconds)));
    return {
      rssMbAtStart: servers[0].rssMbAtStart,
      rssMbAfterLoad: rssMb(servers[0].pid),
      store,
      replicas,
      requestsPerSecond: Math.round(results.reduce((sum, result) => sum + result.requests.average, 0)),
      latencyP50Ms: Math.max(...results.map((result) => result.latency.p50)),
      latencyP99Ms: Math.max(...results.map((result) => result.latency.p99)),
      errors: results.reduce((sum, result) => sum + result.errors + result.timeouts + result.non2xx, 0),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** Megabytes of a folder, as `du` counts them. */
async function folderMb(folder: string): Promise<number> {
  const { stdout } = await promisify(execFile)('du', ['-sk', folder]);
  return Math.round(Number(stdout.split('\t')[0]) / 1024);
}

/** Megabytes of each table of a generation, its indexes and TOAST included. */
async function generationMb(database: Database, id: number): Promise<Record<string, number>> {
  const tables = generationTables(id);
  const parts = {
    documents: tables.documents,
    texts: tables.texts,
    blocks: tables.blocks,
    chunks: tables.chunks,
    vectors: tables.vectors,
    lexical: tables.lexical,
    terms: tables.terms,
  };
  const sizes: Record<string, number> = {};
  for (const [part, table] of Object.entries(parts)) {
    const [row] = await database.query<{ bytes: string }>('SELECT pg_total_relation_size($1::regclass) AS bytes', [table]);
    sizes[part] = Math.round((Number(row.bytes) / 2 ** 20) * 10) / 10;
  }
  return sizes;
}

/** `npm run db:embedded` in a process of its own on a free port, so the database and the bench do not share an event loop. */
async function startEmbeddedProcess(root: string, log: (line: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8000', '--import', 'tsx', join(root, 'db/embedded/main.ts')], {
    cwd: root,
    env: { ...process.env, ENV_FILE: 'none', EMBEDDED_DATABASE_PORT: '0', EMBEDDED_DATABASE_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const started = performance.now();
  while (!/ready at (postgres:\S+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`the embedded database exited: ${output}`);
    if (performance.now() - started > 120_000) throw new Error(`the embedded database did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  log(`postgres: embedded database started`);
  return {
    url: /ready at (postgres:\S+)/.exec(output)![1],
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// npm run bench: measures ingest, retrieval, answers, HTTP load, memory and cold start in one
// run on this machine, beside peers on the same chunks, and writes bench/results/latest.json and
// latest.md. Nothing in the results is typed in by hand. BENCH_QUICK=1 runs smaller sizes and
// writes bench/results/quick.* instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import autocannon from 'autocannon';
import MiniSearch from 'minisearch';
import { EXIT, runCli } from '../cli/run-cli.js';
import { loadConfig } from '../config/load-config.js';
import { answerQuestion, collectAnswer } from '../core/answer-question.js';
import { normalizeText } from '../core/normalize-text.js';
import { retrievePassages } from '../core/retrieve-passages.js';
import type { Chunk, StoredDocument } from '../core/types.js';
import { createLocalEmbedder } from '../embeddings/create-embeddings.js';
import type { LocalWordEmbeddings } from '../embeddings/local-word-embeddings.js';
import { loadWordVectors } from '../embeddings/word-vectors.js';
import { percentile } from '../eval/metrics.js';
import { passageHitsContext } from '../eval/text-match.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { createEngine } from '../runtime/create-engine.js';
import { loadSearchIndex } from '../store/load-index.js';
import { createSearchIndex, type SearchIndex } from '../store/search-index.js';
import { generatePassages, queryFrom, seededRandom } from './generate-corpus.js';
import { renderMarkdown, type BenchResults, type Stats } from './render-results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? (QUICK ? 3 : 10));
const SCALES = QUICK ? [1_000, 5_000] : [1_000, 10_000, 100_000];
const LARGE_CORPUS_CHUNKS = QUICK ? 2_000 : 20_000;
const QUERIES = 200;
const EXTERNAL = join(ROOT, '../shared/eval/external/blockchain_solana');

const config = loadConfig({ ...process.env, EMBEDDINGS: 'local' });
const embedder = createLocalEmbedder(config.WORD_VECTORS_CACHE);
const embeddings = embedder.embeddings as LocalWordEmbeddings;
const { identity } = embedder;
const work = join(tmpdir(), `verbatim-bench-${process.pid}`);
const corpusText = normalizeText(readFileSync(join(ROOT, 'corpus/south-korea-physical-ai.txt'), 'utf8'));
const vectors = loadWordVectors(config.WORD_VECTORS_CACHE);
const vocabulary = Array.from({ length: 30_000 }, (_, i) => vectors.wordAt(300 + i)).filter((w) => /^[a-z]{3,}$/.test(w));
const log = (line: string) => process.stderr.write(`${line}\n`);

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (v: number | null) => Math.round((v ?? 0) * 1000) / 1000;
  return { p50: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), p99: round(percentile(sorted, 0.99)) };
}
async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/** Ingest throughput on a folder, with embedding time per chunk measured around the embedder. */
async function benchIngest(name: string, sourceDir: string) {
  let embedMs = 0;
  const timed = {
    embedDocuments: async (texts: string[]) => {
      const [result, ms] = await time(() => embeddings.embedDocuments(texts));
      embedMs += ms;
      return result;
    },
    embedQuery: (text: string) => embeddings.embedQuery(text),
  };
  const indexDir = join(work, `ingest-${name}`, 'index');
  const summary = await ingestDocuments({
    sourceDir,
    indexDir,
    embeddings: timed,
    embedder: identity,
    chunking: { chunkSize: 1000, chunkOverlap: 200 },
  });
  await rm(join(work, `ingest-${name}`), { recursive: true, force: true });
  return {
    corpus: name,
    documents: summary.documents,
    chunks: summary.chunks,
    seconds: Math.round(summary.seconds * 100) / 100,
    documentsPerSecond: Math.round(summary.documents / summary.seconds),
    chunksPerSecond: Math.round(summary.chunks / summary.seconds),
    embeddingMsPerChunk: Math.round((embedMs / summary.chunks) * 1000) / 1000,
  };
}

/** An in-memory index of generated passages, one document each. */
async function syntheticIndex(count: number): Promise<SearchIndex> {
  const passages = generatePassages(corpusText, vocabulary, count, 700, count);
  const documents: StoredDocument[] = passages.map((text, i) => ({
    docId: `gen-${i}.txt`,
    title: `gen-${i}`,
    text,
    hash: '',
    path: `gen-${i}.txt`,
    kind: 'text',
    pages: null,
    blocks: [],
  }));
  const chunks: Chunk[] = passages.map((text, i) => ({
    chunkId: `gen-${i}.txt#0`,
    docId: `gen-${i}.txt`,
    start: 0,
    end: text.length,
    text,
  }));
  const rows = await embeddings.embedDocuments(passages);
  const flat = new Float32Array(rows.length * identity.dimensions);
  rows.forEach((row, i) => flat.set(row, i * identity.dimensions));
  const index = await createSearchIndex({ embedder: identity, documents, chunks, vectors: flat }, embeddings);
  await index.getTermCounts([]); // counted at start, as loading an index does
  return index;
}

async function benchRetrievalScale(count: number) {
  log(`retrieval at ${count} chunks: building`);
  const [index, buildMs] = await time(() => syntheticIndex(count));
  const random = seededRandom(7);
  const queries = Array.from({ length: QUERIES }, () =>
    queryFrom(index.contents.chunks[Math.floor(random() * index.contents.chunks.length)].text, random),
  );
  const latency = async (denseWeight: number) => {
    const samples: number[] = [];
    for (const query of queries) samples.push((await time(() => retrievePassages(index, embeddings, query, { k: 10, denseWeight })))[1]);
    return stats(samples);
  };
  return {
    chunks: count,
    buildSeconds: Math.round(buildMs / 10) / 100,
    bm25: await latency(0),
    dense: await latency(1),
    hybrid: await latency(0.5),
  };
}

interface QualityCase {
  question: string;
  contexts: string[];
}

function readCases(file: string): QualityCase[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as QualityCase & { unanswerable?: boolean })
    .filter((c) => !c.unanswerable && c.contexts?.length);
}

/** hit@5, MRR@10 and latency of BM25 defaults, LangChain's stock dense path, and ours, on the same chunks. */
async function benchPeers(name: string, index: SearchIndex, cases: QualityCase[], denseWeight: number) {
  const texts = index.contents.chunks.map((c) => c.text);
  const plain = new MiniSearch({ fields: ['text'] });
  plain.addAll(texts.map((text, id) => ({ id, text })));
  const stock = await HNSWLib.fromDocuments(
    texts.map((text) => new Document({ pageContent: text })),
    embeddings,
  );
  const retrievers: [string, (q: string) => Promise<string[]>][] = [
    [
      'peer: BM25 (minisearch defaults)',
      async (q) =>
        plain
          .search(q)
          .slice(0, 10)
          .map((r) => texts[r.id as number]),
    ],
    ['peer: dense (LangChain HNSWLib.similaritySearch)', async (q) => (await stock.similaritySearch(q, 10)).map((d) => d.pageContent)],
    ['ours: BM25 only', async (q) => (await retrievePassages(index, embeddings, q, { k: 10, denseWeight: 0 })).map((p) => p.text)],
    ['ours: dense only', async (q) => (await retrievePassages(index, embeddings, q, { k: 10, denseWeight: 1 })).map((p) => p.text)],
    [
      `ours: hybrid (default, dense weight ${denseWeight})`,
      async (q) => (await retrievePassages(index, embeddings, q, { k: 10, denseWeight })).map((p) => p.text),
    ],
  ];
  const rows = [];
  for (const [retriever, search] of retrievers) {
    let hits5 = 0;
    let reciprocal = 0;
    const samples: number[] = [];
    for (const testCase of cases) {
      const [found, ms] = await time(() => search(testCase.question));
      samples.push(ms);
      const rank = found.findIndex((text) => testCase.contexts.some((context) => passageHitsContext(text, context)));
      if (rank >= 0 && rank < 5) hits5++;
      if (rank >= 0) reciprocal += 1 / (rank + 1);
    }
    const latency = stats(samples);
    rows.push({
      set: name,
      retriever,
      hitAt5: Math.round((hits5 / cases.length) * 1000) / 1000,
      mrrAt10: Math.round((reciprocal / cases.length) * 1000) / 1000,
      p50Ms: latency.p50,
      p95Ms: latency.p95,
    });
  }
  return rows;
}

async function buildIndexOf(sourceDir: string, name: string) {
  const indexDir = join(work, name, 'index');
  await ingestDocuments({ sourceDir, indexDir, embeddings, embedder: identity, chunking: { chunkSize: 1000, chunkOverlap: 200 } });
  return { indexDir, index: await loadSearchIndex(indexDir, embeddings, identity) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

/** Starts the real server (node + tsx, as npm start) on an existing index; measures cold start, RSS and HTTP load. */
async function benchServer(indexDir: string, question: string) {
  const port = await freePort();
  const started = performance.now();
  // The same command line as `npm start` (package.json), so the figures are the served ones.
  const startArgs = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string).split(/\s+/).slice(1);
  const child = spawn(process.execPath, startArgs, {
    cwd: ROOT,
    env: {
      ...process.env,
      ENV_FILE: 'none',
      PORT: String(port),
      INDEX_DIR: indexDir,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
      EMBEDDINGS: 'local',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
    },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (;;) {
      const ready = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (performance.now() - started > 60_000) throw new Error('server did not become ready in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const coldStartMs = Math.round(performance.now() - started);
    const rssAtStart = rssMb(child.pid!);
    const load = async (options: autocannon.Options) => {
      const result = await autocannon({ connections: 8, duration: HTTP_SECONDS, ...options });
      return {
        requestsPerSecond: Math.round(result.requests.average),
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
        errors: result.errors + result.timeouts + result.non2xx,
        requests: result.requests.total,
      };
    };
    log(`http: POST /v1/answer for ${HTTP_SECONDS} s`);
    const answer = await load({
      url: `${base}/v1/answer`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question }),
    });
    const rssAfterAnswers = rssMb(child.pid!);
    log(`http: GET /healthz for ${HTTP_SECONDS} s`);
    const trivial = await load({ url: `${base}/healthz` });
    return {
      coldStartMs,
      rssMbAtStart: rssAtStart,
      rssMbAfterAnswerLoad: rssAfterAnswers,
      rssMbAfterAllLoad: rssMb(child.pid!),
      http: {
        connections: 8,
        seconds: HTTP_SECONDS,
        answer,
        healthz: trivial,
        answerToTrivialRpsRatio: Math.round((answer.requestsPerSecond / trivial.requestsPerSecond) * 1000) / 1000,
      },
    };
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<number> {
  await mkdir(work, { recursive: true });
  try {
    log('ingest: bundled corpus');
    const ingest = [await benchIngest('bundled corpus', join(ROOT, 'corpus'))];
    const largeDir = join(work, 'large-corpus');
    await mkdir(largeDir, { recursive: true });
    const docsNeeded = Math.ceil(LARGE_CORPUS_CHUNKS / 24);
    const bodies = generatePassages(corpusText, vocabulary, docsNeeded, 20_000, 11);
    await Promise.all(bodies.map((text, i) => writeFile(join(largeDir, `doc-${i}.txt`), text)));
    log(`ingest: generated corpus (${docsNeeded} documents)`);
    ingest.push(await benchIngest(`generated (${docsNeeded} × 20 kB)`, largeDir));

    const retrieval = [];
    for (const count of SCALES) retrieval.push(await benchRetrievalScale(count));

    log('answers and peers on seed-dev');
    const bundled = await buildIndexOf(join(ROOT, 'corpus'), 'bundled');
    const denseWeight = config.DENSE_WEIGHT ?? 0;
    const seedCases = readCases(join(ROOT, 'eval/datasets/seed-dev.jsonl'));
    const peers = await benchPeers('seed-dev', bundled.index, seedCases, denseWeight);
    if (existsSync(EXTERNAL)) {
      const external = await buildIndexOf(join(EXTERNAL, 'docs'), 'external');
      peers.push(...(await benchPeers('blockchain_solana', external.index, readCases(join(EXTERNAL, 'cases.jsonl')), denseWeight)));
    }
    const deps = createEngine({ store: bundled.index, embedder, denseWeight });
    const allQuestions = readFileSync(join(ROOT, 'eval/datasets/seed-dev.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { question: string; history?: [] });
    const answerSamples: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const c of allQuestions)
        answerSamples.push((await time(() => collectAnswer(answerQuestion(deps, { question: c.question, history: c.history }))))[1]);
    }
    const answers = { questions: allQuestions.length, rounds: 10, ...stats(answerSamples) };

    const server = await benchServer(bundled.indexDir, seedCases[0].question);
    const results: BenchResults = {
      createdAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) },
      quick: QUICK,
      ingest,
      retrieval,
      answers,
      server,
      peers,
    };
    const out = join(ROOT, 'bench/results');
    await mkdir(out, { recursive: true });
    // A quick run is a smoke test: it never replaces the full run's committed results.
    const name = QUICK ? 'quick' : 'latest';
    await writeFile(join(out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderMarkdown(results);
    await writeFile(join(out, `${name}.md`), markdown);
    process.stdout.write(markdown);
    const errors = results.server.http.answer.errors + results.server.http.healthz.errors;
    if (errors > 0) {
      console.error(`Benchmark failed: ${errors} HTTP request(s) failed under load; there must be none.`);
      return EXIT.checkFailed;
    }
    return EXIT.ok;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

runCli({ name: 'Benchmark', usage: 'usage: npm run bench   (BENCH_QUICK=1 for a smaller run)', main });

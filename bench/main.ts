// npm run bench: measures ingest, retrieval, answers, HTTP load, memory and cold start in one
// run on this machine, beside peers on the same chunks, and writes bench/results/latest.json and
// latest.md. Nothing in the results is typed in by hand. BENCH_QUICK=1 runs smaller sizes and
// writes bench/results/quick.* instead. BENCH_ONLY=crawl, collections or postgres runs one section
// alone and writes bench/results/<section>.* (<section>-quick.* with BENCH_QUICK=1).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document } from '@langchain/core/documents';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import autocannon from 'autocannon';
import MiniSearch from 'minisearch';
import { EXIT, runCli } from '../cli/run-cli.js';
import { UsageError } from '../cli/usage-error.js';
import { loadConfig } from '../config/load-config.js';
import { collectAnswer } from '../core/answer/answer-question.js';
import { createEngine } from '../core/engine.js';
import { normalizeText } from '../core/text/normalize-text.js';
import { retrievePassages } from '../core/retrieve/retrieve-passages.js';
import { createLocalEmbedder } from '../embeddings/create-embeddings.js';
import type { LocalWordEmbeddings } from '../embeddings/local-word-embeddings.js';
import { loadWordVectors } from '../embeddings/word-vectors.js';
import { percentile } from '../eval/metrics.js';
import { passageHitsContext } from '../eval/text-match.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { loadSearchIndex } from '../store/load-index.js';
import type { SearchIndex } from '../store/search-index.js';
import { headingFieldText } from '../core/chunks/heading-field.js';
import { chunkDocument } from '../ingest/chunk-document.js';
import { paragraphBlocks } from '../ingest/paragraph-blocks.js';
import { workerCount } from '../runtime/serve-workers.js';
import { benchCollections } from './collections.js';
import { benchCrawl, renderCrawlMarkdown } from './crawl.js';
import { benchGrowthRow } from './growth.js';
import { compareLexicalCandidates, type CandidateFields } from './lexical-candidates.js';
import { readExternalDocuments, varyDocument, type BenchDocument } from './realistic-corpus.js';
import { generatePassages, queryFrom, seededRandom } from './generate-corpus.js';
import { benchPostgres } from './postgres.js';
import {
  renderCollectionsMarkdown,
  renderMarkdown,
  renderPostgresMarkdown,
  type BenchResults,
  type PostgresSection,
  type ServerRun,
  type Stats,
} from './render-results.js';
import { answerRequest, loadServer, rssMb, startServer } from './start-server.js';
import { alternateWorkerCounts } from './worker-throughput.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUICK = process.env.BENCH_QUICK === '1';
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? (QUICK ? 3 : 10));
/** Unmeasured load before each server's measured runs. */
const WARM_UP_SECONDS = QUICK ? 1 : 3;
const GENERATED_SCALES = QUICK ? [1_000, 5_000] : [1_000, 10_000, 100_000];
/** BENCH_MAX_CHUNKS caps the largest size (the million-chunk row takes about a quarter of an hour). */
const MAX_CHUNKS = Number(process.env.BENCH_MAX_CHUNKS ?? Infinity);
const REALISTIC_SCALES = (QUICK ? [1_000, 5_000] : [1_000, 10_000, 100_000, 1_000_000]).filter((n) => n <= MAX_CHUNKS);
const CANDIDATE_CHUNKS = QUICK ? 5_000 : 100_000;
/** The old engine is measured at every size up to this one. */
const OLD_ENGINE_UP_TO = Number(process.env.BENCH_OLD_ENGINE_UP_TO ?? Infinity);
const EXTERNAL_SETS = join(ROOT, '../shared/eval/external');
const LARGE_CORPUS_CHUNKS = QUICK ? 2_000 : 20_000;
const QUERIES = 200;
/** Collections served at once with the bundled corpus's size, and the chunks of each of the two large ones. */
const COLLECTION_COUNTS = QUICK ? [1, 5] : [1, 5, 20];
const LARGE_COLLECTION_CHUNKS = QUICK ? 10_000 : 100_000;
const EXTERNAL = join(ROOT, '../shared/eval/external/blockchain_solana');
/** Sections that can run alone (BENCH_ONLY); unset runs everything. */
const SECTIONS = ['crawl', 'collections', 'postgres'] as const;
/** The Postgres section's sizes (BENCH_POSTGRES_SIZES, comma-separated, overrides them). */
const POSTGRES_SIZES = process.env.BENCH_POSTGRES_SIZES
  ? process.env.BENCH_POSTGRES_SIZES.split(',').map(Number)
  : QUICK
    ? [1_000, 5_000]
    : [10_000, 100_000];
const ONLY = process.env.BENCH_ONLY?.trim() || undefined;
/** Pages of the generated site the crawl section crawls. */
const CRAWL_PAGES = QUICK ? 100 : 300;

const config = loadConfig({ ...process.env, EMBEDDINGS: 'local' });
const embedder = createLocalEmbedder(config.WORD_VECTORS_CACHE);
const embeddings = embedder.embeddings as LocalWordEmbeddings;
const { identity } = embedder;
const work = join(tmpdir(), `verbatim-bench-${process.pid}`);
const corpusText = normalizeText(readFileSync(join(ROOT, 'corpus/south-korea-physical-ai.txt'), 'utf8'));
const vectors = loadWordVectors(config.WORD_VECTORS_CACHE);
const vocabulary = Array.from({ length: 30_000 }, (_, i) => vectors.wordAt(300 + i)).filter((w) => /^[a-z]{3,}$/.test(w));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Generated passages (bench/generate-corpus.ts), one plain-text document each. */
function generatedDocuments(chunks: number): BenchDocument[] {
  return generatePassages(corpusText, vocabulary, chunks, 700, chunks).map((text, i) => ({
    docId: `gen-${i}.txt`,
    path: `gen-${i}.txt`,
    url: null,
    title: `gen-${i}`,
    text,
    kind: 'text',
    pages: null,
    blocks: paragraphBlocks(text),
  }));
}

/** 200 known-item queries: content words of random generated passages. */
function generatedQueries(documents: { text: string }[]): string[] {
  const random = seededRandom(7);
  return Array.from({ length: QUERIES }, () => queryFrom(documents[Math.floor(random() * documents.length)].text, random));
}

/** The external sets' documents, then varied copies of them, until about `chunks` chunks (24 per 20 kB). */
function* realisticDocuments(base: BenchDocument[], chunks: number): Generator<BenchDocument> {
  for (let copy = 0; ; copy++) for (const document of base) yield varyDocument(document, copy, vocabulary);
}

/** The answerable questions of every open external set: what users of such a corpus ask. */
function externalQuestions(dir: string): string[] {
  const questions = readdirSync(dir)
    .filter((set) => existsSync(join(dir, set, 'cases.jsonl')))
    .flatMap((set) => readCases(join(dir, set, 'cases.jsonl')).map((c) => c.question));
  const random = seededRandom(5);
  return Array.from({ length: QUERIES }, () => questions[Math.floor(random() * questions.length)]);
}

/** The text and heading fields of the documents' first `count` chunks, chunked as an ingest does. */
async function chunkFields(documents: Iterable<BenchDocument>, count: number): Promise<CandidateFields> {
  const fields: CandidateFields = { text: [], heading: [] };
  for (const document of documents) {
    if (fields.text.length >= count) break;
    for (const chunk of await chunkDocument(document, { chunkSize: 1000, chunkOverlap: 200 })) {
      fields.text.push(chunk.text);
      fields.heading.push(headingFieldText(document, chunk));
    }
  }
  return { text: fields.text.slice(0, count), heading: fields.heading.slice(0, count) };
}

/** Writes the results so far: a long run that fails late keeps what it measured. */
async function save(results: BenchResults): Promise<void> {
  const out = join(ROOT, 'bench/results');
  await mkdir(out, { recursive: true });
  // A quick run is a smoke test: it never replaces the full run's committed results.
  const name = QUICK ? 'quick' : 'latest';
  await writeFile(join(out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(out, `${name}.md`), renderMarkdown(results));
}

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
  const texts = (await index.getChunks(Array.from({ length: index.chunkCount }, (_, i) => index.chunkIdAt(i)))).map((c) => c.text);
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
  return { indexDir, index: await loadSearchIndex(indexDir, identity) };
}

/** Starts the real server (node + tsx, as npm start) on an existing index; measures cold start, RSS and HTTP load. */
async function benchServer(indexDir: string, question: string, workers: number, withTrivial: boolean): Promise<ServerRun> {
  const server = await startServer(ROOT, indexDir, workers);
  try {
    const load = (options: autocannon.Options) => loadServer(options, HTTP_SECONDS);
    // Every worker compiles its hot code under load first: measured cold, N fresh processes would
    // be compared with one that had warmed up, and the ratio would show JIT warm-up, not cores.
    log(`http (${workers} worker${workers > 1 ? 's' : ''}): warming up for ${WARM_UP_SECONDS} s`);
    await loadServer(answerRequest(server.base, question), WARM_UP_SECONDS);
    log(`http (${workers} worker${workers > 1 ? 's' : ''}): POST /v1/answer for ${HTTP_SECONDS} s`);
    const answer = await load(answerRequest(server.base, question));
    const rssAfterAnswers = rssMb(server.pid);
    if (!withTrivial) return { workers, coldStartMs: server.coldStartMs, rssMbAtStart: server.rssMbAtStart, answer };
    log(`http: GET /healthz for ${HTTP_SECONDS} s`);
    const trivial = await load({ url: `${server.base}/healthz` });
    return {
      workers,
      coldStartMs: server.coldStartMs,
      rssMbAtStart: server.rssMbAtStart,
      rssMbAfterAnswerLoad: rssAfterAnswers,
      rssMbAfterAllLoad: rssMb(server.pid),
      answer,
      healthz: trivial,
      answerToTrivialRpsRatio: Math.round((answer.requestsPerSecond / trivial.requestsPerSecond) * 1000) / 1000,
    };
  } finally {
    server.stop();
  }
}

/** Memory and cold start with 1, 5 and 20 collections of the bundled corpus's size, and with two large ones. */
async function collectionsSection(): Promise<NonNullable<BenchResults['collections']>> {
  const atStart = loadavg().map((v) => Math.round(v * 10) / 10);
  log('collections: building the bundled corpus index and a large generated one');
  const bundled = await buildIndexOf(join(ROOT, 'corpus'), 'collections-bundled');
  const largeDir = join(work, 'collections-large-docs');
  await mkdir(largeDir, { recursive: true });
  const bodies = generatePassages(corpusText, vocabulary, Math.ceil(LARGE_COLLECTION_CHUNKS / 24), 20_000, 13);
  await Promise.all(bodies.map((text, i) => writeFile(join(largeDir, `doc-${i}.txt`), text)));
  const large = await buildIndexOf(largeDir, 'collections-large');
  const question = readCases(join(ROOT, 'eval/datasets/seed-dev.jsonl'))[0].question;
  const rows = await benchCollections({
    root: ROOT,
    workDir: work,
    bundled: { indexDir: bundled.indexDir, chunks: bundled.index.chunkCount, question },
    large: { indexDir: large.indexDir, chunks: large.index.chunkCount, question },
    counts: COLLECTION_COUNTS,
    log,
  });
  return { createdAt: new Date().toISOString(), loadAverage: { atStart, atEnd: loadavg().map((v) => Math.round(v * 10) / 10) }, rows };
}

/** BENCH_ONLY=collections: the collections section alone, written to bench/results/collections.* (latest.* stays a whole run). */
async function runOnlyCollections(): Promise<number> {
  const collections = await collectionsSection();
  const out = join(ROOT, 'bench/results');
  await mkdir(out, { recursive: true });
  const name = QUICK ? 'collections-quick' : 'collections';
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  await writeFile(
    join(out, `${name}.json`),
    `${JSON.stringify({ createdAt: new Date().toISOString(), machine, quick: QUICK, collections }, null, 2)}\n`,
  );
  const markdown = [
    `# Verbatim benchmarks: collections only`,
    '',
    `${collections.createdAt}, Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}.`,
    '',
    ...renderCollectionsMarkdown(collections),
  ].join('\n');
  await writeFile(join(out, `${name}.md`), markdown);
  process.stdout.write(markdown);
  return EXIT.ok;
}

/** The Postgres store beside the local one at 10k and 100k chunks of the realistic corpus (the generated one without the open sets). */
async function postgresSection(): Promise<PostgresSection> {
  const atStart = loadavg().map((v) => Math.round(v * 10) / 10);
  const realisticBase = existsSync(EXTERNAL_SETS) ? await readExternalDocuments(EXTERNAL_SETS) : [];
  const rows = await benchPostgres({
    root: ROOT,
    workDir: work,
    documentsFor: realisticBase.length > 0 ? (chunks) => realisticDocuments(realisticBase, chunks) : generatedDocuments,
    questions:
      realisticBase.length > 0
        ? externalQuestions(EXTERNAL_SETS)
        : generatedQueries(generatedDocuments(1_000).map((document) => ({ text: document.text }))),
    embedder,
    sizes: POSTGRES_SIZES,
    httpSeconds: HTTP_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
    log,
  });
  return {
    createdAt: new Date().toISOString(),
    loadAverage: { atStart, atEnd: loadavg().map((v) => Math.round(v * 10) / 10) },
    httpSeconds: HTTP_SECONDS,
    rows,
  };
}

/** BENCH_ONLY=postgres: the Postgres section alone, written to bench/results/postgres.* (latest.* stays a whole run). */
async function runOnlyPostgres(): Promise<number> {
  const postgres = await postgresSection();
  const out = join(ROOT, 'bench/results');
  await mkdir(out, { recursive: true });
  const name = QUICK ? 'postgres-quick' : 'postgres';
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  await writeFile(
    join(out, `${name}.json`),
    `${JSON.stringify({ createdAt: new Date().toISOString(), machine, quick: QUICK, postgres }, null, 2)}\n`,
  );
  const markdown = [
    `# Verbatim benchmarks: Postgres only`,
    '',
    `${postgres.createdAt}, Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}.`,
    '',
    ...renderPostgresMarkdown(postgres),
  ].join('\n');
  await writeFile(join(out, `${name}.md`), markdown);
  process.stdout.write(markdown);
  const errors = postgres.rows.reduce((sum, row) => sum + row.throughput.reduce((all, t) => all + t.errors, 0), 0);
  if (errors > 0) {
    console.error(`Benchmark failed: ${errors} HTTP request(s) failed under load; there must be none.`);
    return EXIT.checkFailed;
  }
  return EXIT.ok;
}

/** The crawl section: pages per second from loopback, ingest from the URL, re-crawl of the unchanged site. */
function runCrawlBench() {
  return benchCrawl({
    config,
    passages: generatePassages(corpusText, vocabulary, CRAWL_PAGES, 2_000, 23),
    embeddings,
    identity,
    workDir: work,
    log,
  });
}

/** BENCH_ONLY=crawl: the crawl section alone, written to bench/results/crawl.* (its own files: latest.* stays a whole run). */
async function runOnlyCrawl(): Promise<number> {
  const crawl = await runCrawlBench();
  const out = join(ROOT, 'bench/results');
  await mkdir(out, { recursive: true });
  const name = QUICK ? 'crawl-quick' : 'crawl';
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadAverage: loadavg().map((v) => Math.round(v * 10) / 10),
  };
  await writeFile(
    join(out, `${name}.json`),
    `${JSON.stringify({ createdAt: new Date().toISOString(), machine, quick: QUICK, crawl }, null, 2)}\n`,
  );
  const markdown = [
    `# Verbatim benchmarks: crawl only`,
    '',
    `${new Date().toISOString()}, Node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadAverage.join(', ')}.`,
    '',
    ...renderCrawlMarkdown(crawl),
  ].join('\n');
  await writeFile(join(out, `${name}.md`), markdown);
  process.stdout.write(markdown);
  return EXIT.ok;
}

async function main(): Promise<number> {
  if (ONLY !== undefined && !(SECTIONS as readonly string[]).includes(ONLY)) {
    throw new UsageError(`BENCH_ONLY must be one of ${SECTIONS.join(', ')} (or unset for every section), not "${ONLY}"`);
  }
  await mkdir(work, { recursive: true });
  if (ONLY !== undefined) {
    try {
      return await (ONLY === 'crawl' ? runOnlyCrawl() : ONLY === 'collections' ? runOnlyCollections() : runOnlyPostgres());
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
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

    const results: BenchResults = {
      createdAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30) },
      // The machine may be shared: its load when the run started and ended says how far to trust the timings.
      loadAverage: { atStart: loadavg().map((v) => Math.round(v * 10) / 10), atEnd: [] },
      quick: QUICK,
      ingest,
      growth: [],
      candidates: [],
      answers: { questions: 0, rounds: 0, p50: 0, p95: 0, p99: 0 },
      servers: [],
      peers: [],
    };

    results.crawl = await runCrawlBench();
    await save(results);

    log('answers and peers on seed-dev');
    const bundled = await buildIndexOf(join(ROOT, 'corpus'), 'bundled');
    const denseWeight = config.DENSE_WEIGHT ?? 0;
    const seedCases = readCases(join(ROOT, 'eval/datasets/seed-dev.jsonl'));
    results.peers = await benchPeers('seed-dev', bundled.index, seedCases, denseWeight);
    if (existsSync(EXTERNAL)) {
      const external = await buildIndexOf(join(EXTERNAL, 'docs'), 'external');
      results.peers.push(...(await benchPeers('blockchain_solana', external.index, readCases(join(EXTERNAL, 'cases.jsonl')), denseWeight)));
    }
    const engine = createEngine({ store: bundled.index, embedder, denseWeight });
    const allQuestions = readFileSync(join(ROOT, 'eval/datasets/seed-dev.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { question: string; history?: [] });
    const answerSamples: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const c of allQuestions)
        answerSamples.push((await time(() => collectAnswer(engine.answer({ question: c.question, history: c.history }))))[1]);
    }
    results.answers = { questions: allQuestions.length, rounds: 10, ...stats(answerSamples) };

    // One worker, then one per core, on the same index in the same run; then both alternately.
    results.servers.push(await benchServer(bundled.indexDir, seedCases[0].question, 1, true));
    results.servers.push(await benchServer(bundled.indexDir, seedCases[0].question, workerCount(undefined), false));
    results.workerThroughput = await alternateWorkerCounts(
      ROOT,
      bundled.indexDir,
      seedCases[0].question,
      [1, workerCount(undefined)],
      log,
      WARM_UP_SECONDS,
    );
    await save(results);

    const realisticBase = existsSync(EXTERNAL_SETS) ? await readExternalDocuments(EXTERNAL_SETS) : [];
    const realisticQueries = existsSync(EXTERNAL_SETS) ? externalQuestions(EXTERNAL_SETS) : [];
    const corpora = [
      { corpus: 'generated', scales: GENERATED_SCALES, documentsFor: generatedDocuments, queriesFor: generatedQueries },
      ...(realisticBase.length > 0
        ? [
            {
              corpus: 'realistic',
              scales: REALISTIC_SCALES,
              documentsFor: (chunks: number) => realisticDocuments(realisticBase, chunks),
              queriesFor: () => realisticQueries,
            },
          ]
        : []),
    ];
    for (const { corpus, documentsFor } of corpora) {
      const fields = await chunkFields(documentsFor(CANDIDATE_CHUNKS), CANDIDATE_CHUNKS);
      const queries = corpus === 'generated' ? generatedQueries(fields.text.map((text) => ({ text }))) : realisticQueries;
      results.candidates.push(...compareLexicalCandidates(corpus, fields, queries, log));
    }
    await save(results);
    for (const { corpus, scales, documentsFor, queriesFor } of corpora) {
      for (const chunks of scales) {
        results.growth.push(
          await benchGrowthRow(chunks, {
            corpus,
            documentsFor,
            queriesFor,
            embeddings,
            identity,
            workDir: work,
            log,
            queryLimit: (engine, size) => (engine === 'old' && size > 200_000 ? 50 : QUERIES),
            oldEngineUpTo: OLD_ENGINE_UP_TO,
          }),
        );
        await save(results);
      }
    }
    results.collections = await collectionsSection();
    await save(results);
    results.postgres = await postgresSection();
    results.loadAverage.atEnd = loadavg().map((v) => Math.round(v * 10) / 10);
    await save(results);
    process.stdout.write(renderMarkdown(results));
    const errors =
      results.servers.reduce((sum, server) => sum + server.answer.errors + (server.healthz?.errors ?? 0), 0) +
      (results.workerThroughput?.results.reduce((sum, w) => sum + w.errors, 0) ?? 0) +
      results.postgres.rows.reduce((sum, row) => sum + row.throughput.reduce((all, t) => all + t.errors, 0), 0);
    if (errors > 0) {
      console.error(`Benchmark failed: ${errors} HTTP request(s) failed under load; there must be none.`);
      return EXIT.checkFailed;
    }
    return EXIT.ok;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

runCli({
  name: 'Benchmark',
  usage: 'usage: npm run bench   (BENCH_QUICK=1 for a smaller run, BENCH_ONLY=crawl, collections or postgres for one section)',
  main,
});

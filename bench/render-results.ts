import type { CollectionsRow } from './collections.js';
import { renderCrawlMarkdown, type CrawlBenchRow } from './crawl.js';
import type { GrowthRow } from './growth.js';
import type { PostgresRow } from './postgres.js';
import type { CandidateRow } from './lexical-candidates.js';
import type { LoadResult } from './start-server.js';
import type { WorkerThroughput } from './worker-throughput.js';

/** Latency percentiles in milliseconds. */
export type Stats = { p50: number; p95: number; p99: number };

/** One server run under load: `npm start` with WORKERS set. */
export interface ServerRun {
  workers: number;
  coldStartMs: number;
  rssMbAtStart: number;
  rssMbAfterAnswerLoad?: number;
  rssMbAfterAllLoad?: number;
  answer: LoadResult;
  healthz?: LoadResult;
  answerToTrivialRpsRatio?: number;
}

/** Everything one `npm run bench` measures (bench/results/latest.json). */
export interface BenchResults {
  createdAt: string;
  machine: { node: string; cpus: number; cpuModel?: string; memoryGb: number };
  quick: boolean;
  loadAverage: { atStart: number[]; atEnd: number[] };
  ingest: {
    corpus: string;
    documents: number;
    chunks: number;
    seconds: number;
    documentsPerSecond: number;
    chunksPerSecond: number;
    embeddingMsPerChunk: number;
  }[];
  growth: GrowthRow[];
  candidates: CandidateRow[];
  answers: { questions: number; rounds: number } & Stats;
  /** HTTP load with one worker, then with one per core. */
  servers: ServerRun[];
  /** The same loads again, the worker counts taken in turn. */
  workerThroughput?: WorkerThroughput;
  peers: { set: string; retriever: string; hitAt5: number; mrrAt10: number; p50Ms: number; p95Ms: number }[];
  /** Memory and cold start with several collections (may be measured in a run of its own: BENCH_ONLY=collections). */
  collections?: { createdAt: string; loadAverage: { atStart: number[]; atEnd: number[] }; rows: CollectionsRow[] };
  /** Crawling a generated docs site from loopback (bench/crawl.ts). */
  crawl?: CrawlBenchRow;
  /** The Postgres store beside the local one (bench/postgres.ts; may be measured alone: BENCH_ONLY=postgres). */
  postgres?: PostgresSection;
}

/** The Postgres section's rows, with the machine's load while it ran. */
export interface PostgresSection {
  createdAt: string;
  loadAverage: { atStart: number[]; atEnd: number[] };
  httpSeconds: number;
  rows: PostgresRow[];
}

/** The results as a Markdown report. */
const CONNECTIONS = 8;

export function renderMarkdown(r: BenchResults): string {
  const lines = [
    `# Verbatim benchmarks`,
    '',
    `${r.createdAt}, Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB${r.quick ? ' (quick run)' : ''}. Local embedder, extractive answers.`,
    '',
    `Load average (1, 5, 15 min) at start ${r.loadAverage.atStart.join(', ')}; at end ${r.loadAverage.atEnd.join(', ') || 'not reached'}. Above 2 on this 2-core machine, other work shared the cores and every timing is pessimistic.`,
    '',
    '## Ingest',
    '',
    '| corpus | documents | chunks | seconds | documents/s | chunks/s | embedding ms/chunk |',
    '|---|---|---|---|---|---|---|',
    ...r.ingest.map(
      (i) =>
        `| ${i.corpus} | ${i.documents} | ${i.chunks} | ${i.seconds} | ${i.documentsPerSecond} | ${i.chunksPerSecond} | ${i.embeddingMsPerChunk} |`,
    ),
    '',
    ...(r.crawl ? renderCrawlMarkdown(r.crawl) : []),
    '## Growth: the old engine (minisearch) and the new one (compact postings + MaxScore), same chunks, same run',
    '',
    'Build: seconds to build the BM25 postings / the HNSW graph (embedding not included). Load: a fresh process opening the index ' +
      'from disk (old: minisearch JSON parsed and term frequencies counted, as it loaded). RSS: that process after load, and the ' +
      'part the index adds. Latency: ms per retrieval, top 10.',
    '',
    '| corpus | chunks | engine | build s (BM25 / HNSW) | load s | RSS MB (index) | disk MB (BM25) | BM25 p50 / p95 / p99 | dense p50 / p95 / p99 | hybrid (0.5) p50 / p95 / p99 |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.growth.flatMap((g) =>
      g.engines.map(
        (e) =>
          `| ${g.corpus} | ${g.chunks} | ${e.engine}${e.queries < 200 ? ` (${e.queries} queries)` : ''} | ${e.engine === 'old' ? e.buildSeconds : g.lexicalBuildSeconds} / ${g.denseBuildSeconds} | ${e.loadSeconds ?? `n/a: ${e.notes.join('; ')}`} | ${e.rssMb} (${e.indexRssMb}) | ${e.engine === 'new' ? `${g.diskMb} (${g.lexicalDiskMb})` : '—'} | ${fmt(e.bm25)} | ${fmt(e.dense)} | ${fmt(e.hybrid)} |`,
      ),
    ),
    '',
    '## Lexical candidates on the same chunks (analysed query terms, top 10)',
    '',
    '| corpus | chunks | engine | build s | p50 / p95 / p99 ms | same top 10 as minisearch |',
    '|---|---|---|---|---|---|',
    ...r.candidates.map(
      (c) => `| ${c.corpus} | ${c.chunks} | ${c.engine} | ${c.buildSeconds} | ${c.p50} / ${c.p95} / ${c.p99} | ${c.sameTop10} |`,
    ),
    '',
    `## Answers (extractive, in process): p50 ${r.answers.p50} ms, p95 ${r.answers.p95} ms over ${r.answers.questions} seed-dev questions × ${r.answers.rounds}`,
    '',
    '## HTTP and memory',
    '',
    ...r.servers.flatMap((s) =>
      s.rssMbAfterAnswerLoad === undefined
        ? []
        : [
            `${s.workers} worker: cold start to /readyz 200 (index present) ${s.coldStartMs} ms; RSS ${s.rssMbAtStart} MB at start, ${s.rssMbAfterAnswerLoad} MB after the answer load, ${s.rssMbAfterAllLoad} MB after the /healthz load too.`,
            '',
          ],
    ),
    `| endpoint (${CONNECTIONS} connections, ${r.servers[0]?.answer ? 'same duration' : ''}) | workers | requests/s | p50 ms | p99 ms | errors |`,
    '|---|---|---|---|---|---|',
    ...r.servers.flatMap((s) => [
      `| POST /v1/answer | ${s.workers} | ${s.answer.requestsPerSecond} | ${s.answer.latencyP50Ms} | ${s.answer.latencyP99Ms} | ${s.answer.errors} |`,
      ...(s.healthz
        ? [
            `| GET /healthz | ${s.workers} | ${s.healthz.requestsPerSecond} | ${s.healthz.latencyP50Ms} | ${s.healthz.latencyP99Ms} | ${s.healthz.errors} |`,
          ]
        : []),
    ]),
    '',
    r.servers.length > 1
      ? `/v1/answer throughput, ${r.servers.at(-1)!.workers} workers / 1 worker: ${Math.round((r.servers.at(-1)!.answer.requestsPerSecond / r.servers[0].answer.requestsPerSecond) * 100) / 100}×.`
      : '',
    '',
    ...(r.workerThroughput
      ? [
          `The same, the servers loaded in turn (${r.workerThroughput.rounds} rounds of ${r.workerThroughput.secondsPerLoad} s each): ` +
            r.workerThroughput.results
              .map(
                (w) =>
                  `${w.workers} worker(s) ${w.requestsPerSecond.join(', ')} requests/s (median ${w.medianRequestsPerSecond}, errors ${w.errors})`,
              )
              .join('; ') +
            `; median ratio ${Math.round((r.workerThroughput.results.at(-1)!.medianRequestsPerSecond / r.workerThroughput.results[0].medianRequestsPerSecond) * 100) / 100}×.`,
          '',
        ]
      : []),
    ...(r.collections ? renderCollectionsMarkdown(r.collections) : []),
    ...(r.postgres ? renderPostgresMarkdown(r.postgres) : []),
    '## Peers on the same chunks',
    '',
    '| set | retriever | hit@5 | MRR@10 | p50 ms | p95 ms |',
    '|---|---|---|---|---|---|',
    ...r.peers.map((p) => `| ${p.set} | ${p.retriever} | ${p.hitAt5} | ${p.mrrAt10} | ${p.p50Ms} | ${p.p95Ms} |`),
    '',
  ];
  return lines.join('\n');
}

function fmt(s: Stats): string {
  return `${s.p50} / ${s.p95} / ${s.p99}`;
}

/** The Postgres section: write time, retrieval latency and /v1/answer throughput with 1 and 2 replicas, beside the local store. */
export function renderPostgresMarkdown(section: PostgresSection): string[] {
  return [
    '## Postgres store beside the local store',
    '',
    `${section.createdAt}, load average ${section.loadAverage.atStart.join(', ')} at the start of the section, ` +
      `${section.loadAverage.atEnd.join(', ')} at its end. The same chunks and vectors (the realistic corpus) in both stores. ` +
      'Postgres is the embedded database (PGlite over the wire, `npm run db:embedded`) in a process of its own: one Postgres ' +
      'session that every connection takes turns on, so these are its figures, not a Postgres server’s. Write: the local ' +
      'index built and written, or the generation’s rows, indexes (HNSW, BM25 or GIN) and commit. Retrieval: `engine.search` ' +
      '(k 5: the question embedded, lexical and dense search, fused) over 200 questions of the open sets, one at a time, and ' +
      'how often its top 5 is the local store’s (in order), and how much of it on average. ' +
      `Throughput: \`POST /v1/answer\` for ${section.httpSeconds} s, each replica a server process (WORKERS=1) loaded by 4 ` +
      'connections at once, rotating through the questions; latency is the slower replica’s.',
    '',
    '| chunks | store | write s | disk MB (documents / texts / blocks / chunks / vectors / lexical / terms) | retrieval p50 ms | retrieval p95 ms | same top 5 as local / overlap@5 |',
    '|---|---|---|---|---|---|---|',
    ...section.rows.flatMap((row) =>
      row.retrieval.map((r) => {
        const parts = r.tablesMb ? ` (${Object.values(r.tablesMb).join(' / ')})` : '';
        const agreement = r.sameTop5 === undefined ? '—' : `${r.sameTop5} / ${r.overlapAt5}`;
        return `| ${row.chunks} | ${r.store} | ${r.writeSeconds} | ${r.diskMb ?? '—'}${parts} | ${r.retrievalMs.p50} | ${r.retrievalMs.p95} | ${agreement} |`;
      }),
    ),
    '',
    '| chunks | store | replicas | answers/s | p50 ms | p99 ms | errors | RSS MB of a replica at start / after the load |',
    '|---|---|---|---|---|---|---|---|',
    ...section.rows.flatMap((row) =>
      row.throughput.map(
        (t) =>
          `| ${row.chunks} | ${t.store} | ${t.replicas} | ${t.requestsPerSecond} | ${t.latencyP50Ms} | ${t.latencyP99Ms} | ${t.errors} | ${t.rssMbAtStart ?? '—'} / ${t.rssMbAfterLoad ?? '—'} |`,
      ),
    ),
    '',
  ];
}

/** The collections section: memory and cold start with several collections. */
export function renderCollectionsMarkdown(collections: NonNullable<BenchResults['collections']>): string[] {
  return [
    '## Collections: memory and cold start',
    '',
    `${collections.createdAt}, load average ${collections.loadAverage.atStart.join(', ')} at the start of the section, ` +
      `${collections.loadAverage.atEnd.join(', ')} at its end. One worker; the default collection is the bundled corpus, ` +
      'each other a copy of an index of the size shown (its own files, loaded on its own). Cold start: `npm start` to /readyz 200, ' +
      'which waits for every collection; in brackets, the part after the port listens (loading the collections); the faster of ' +
      'two starts (after one unmeasured start). First answer: POST /v1/answer once per collection, right after start.',
    '',
    '| collections | chunks each (but the default) | chunks in all | cold start ms (of which loading the collections) | RSS MB at start | RSS MB after one answer each | first answer ms p50 / max |',
    '|---|---|---|---|---|---|---|',
    ...collections.rows.map(
      (c) =>
        `| ${c.collections} | ${c.collections === 1 ? '—' : c.chunksEach} | ${c.chunksInAll} | ${c.coldStartMs} (${c.loadingMs ?? '—'}) | ${c.rssMbAtStart} | ${c.rssMbAfterAnswers} | ${c.firstAnswerMsP50} / ${c.firstAnswerMsMax} |`,
    ),
    '',
  ];
}

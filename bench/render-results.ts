/** Latency percentiles in milliseconds. */
export type Stats = { p50: number; p95: number; p99: number };

interface LoadResult {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  requests: number;
}

/** Everything one `npm run bench` measures (bench/results/latest.json). */
export interface BenchResults {
  createdAt: string;
  machine: { node: string; cpus: number; cpuModel?: string; memoryGb: number };
  quick: boolean;
  ingest: {
    corpus: string;
    documents: number;
    chunks: number;
    seconds: number;
    documentsPerSecond: number;
    chunksPerSecond: number;
    embeddingMsPerChunk: number;
  }[];
  retrieval: { chunks: number; buildSeconds: number; bm25: Stats; dense: Stats; hybrid: Stats }[];
  answers: { questions: number; rounds: number } & Stats;
  server: {
    coldStartMs: number;
    rssMbAtStart: number;
    rssMbAfterAnswerLoad: number;
    rssMbAfterAllLoad: number;
    http: { connections: number; seconds: number; answer: LoadResult; healthz: LoadResult; answerToTrivialRpsRatio: number };
  };
  peers: { set: string; retriever: string; hitAt5: number; mrrAt10: number; p50Ms: number; p95Ms: number }[];
}

/** The results as a Markdown report. */
export function renderMarkdown(r: BenchResults): string {
  const lines = [
    `# Verbatim benchmarks`,
    '',
    `${r.createdAt}, Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB${r.quick ? ' (quick run)' : ''}. Local embedder, extractive answers.`,
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
    '## Retrieval latency (ms, top 10, 200 queries)',
    '',
    '| chunks | index build s | BM25 p50 / p95 / p99 | dense p50 / p95 / p99 | hybrid (0.5) p50 / p95 / p99 |',
    '|---|---|---|---|---|',
    ...r.retrieval.map((s) => `| ${s.chunks} | ${s.buildSeconds} | ${fmt(s.bm25)} | ${fmt(s.dense)} | ${fmt(s.hybrid)} |`),
    '',
    `## Answers (extractive, in process): p50 ${r.answers.p50} ms, p95 ${r.answers.p95} ms over ${r.answers.questions} seed-dev questions × ${r.answers.rounds}`,
    '',
    '## HTTP and memory',
    '',
    `Cold start to /readyz 200 (index present): ${r.server.coldStartMs} ms. Server RSS: ${r.server.rssMbAtStart} MB at start, ${r.server.rssMbAfterAnswerLoad} MB after the answer load, ${r.server.rssMbAfterAllLoad} MB after the /healthz load too.`,
    '',
    `| endpoint (${r.server.http.connections} connections, ${r.server.http.seconds} s) | requests/s | p50 ms | p99 ms | errors |`,
    '|---|---|---|---|---|',
    `| POST /v1/answer | ${r.server.http.answer.requestsPerSecond} | ${r.server.http.answer.latencyP50Ms} | ${r.server.http.answer.latencyP99Ms} | ${r.server.http.answer.errors} |`,
    `| GET /healthz | ${r.server.http.healthz.requestsPerSecond} | ${r.server.http.healthz.latencyP50Ms} | ${r.server.http.healthz.latencyP99Ms} | ${r.server.http.healthz.errors} |`,
    '',
    `Answer / trivial throughput ratio: ${r.server.http.answerToTrivialRpsRatio}.`,
    '',
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

import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Answer } from '../../core/contracts/types.js';
import type { CollectionState } from '../../runtime/engine-registry.js';

/** What the metrics read when scraped: the collections' states and, with STORE=postgres, the pool. */
export interface MetricSources {
  collections: () => CollectionState[];
  pool?: () => { total: number; idle: number; waiting: number; max: number };
}

/** A server process's metrics, in Prometheus's text format at /metrics. */
export interface ServerMetrics {
  registry: Registry;
  /** Counts and times every request, by method, route and status. */
  measure: RequestHandler;
  /** Counts an answer given (or refused) from a collection, and its retrieval and total time. */
  countAnswer(collection: string, answer: Answer): void;
  /** Times one store query (STORE=postgres), by operation. */
  observeStoreQuery(operation: string, seconds: number): void;
}

/** Seconds: from a millisecond cache hit to a generative answer's half minute. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/**
 * The metrics a replica exports: HTTP requests and their latency, answers and refusals per
 * collection with retrieval and answer time, store query time, the database pool's use, each
 * collection's generation and readiness, and Node's process metrics. Route labels are the route's
 * pattern (`/v1/sources/:docId`), never the path asked, so a scan of random paths adds no series.
 */
export function createServerMetrics(sources: MetricSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'verbatim_' });
  const requests = new Counter({
    name: 'verbatim_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: 'verbatim_http_request_duration_seconds',
    help: 'Time from a request to the end of its response (a stream: its last event).',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const answers = new Counter({
    name: 'verbatim_answers_total',
    help: 'Answers given, by collection, mode and outcome (answered or refused).',
    labelNames: ['collection', 'mode', 'outcome'],
    registers: [registry],
  });
  const retrievalSeconds = new Histogram({
    name: 'verbatim_retrieval_duration_seconds',
    help: "Time an answer spent retrieving passages from the store (the answer's timings).",
    labelNames: ['collection'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const answerSeconds = new Histogram({
    name: 'verbatim_answer_duration_seconds',
    help: 'Time an answer took in all, retrieval included.',
    labelNames: ['collection', 'mode'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: 'verbatim_store_query_duration_seconds',
    help: 'Time of each query to the database store (STORE=postgres), by operation.',
    labelNames: ['operation'],
    buckets: STORE_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'verbatim_collection_ready',
    help: 'Whether a collection answers (1), is loading or unavailable (0).',
    labelNames: ['collection', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const state of sources.collections())
        this.set({ collection: state.name, status: state.status }, state.status === 'ready' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'verbatim_collection_generation_info',
    help: 'The index generation each collection answers from (value 1; the generation is a label).',
    labelNames: ['collection', 'generation'],
    registers: [registry],
    collect() {
      this.reset();
      for (const state of sources.collections())
        if (state.generation) this.set({ collection: state.name, generation: state.generation }, 1);
    },
  });
  if (sources.pool) {
    const pool = sources.pool;
    new Gauge({
      name: 'verbatim_database_pool_connections',
      help: 'Connections of the database pool: open in all, idle, and requests waiting for one; max is DATABASE_POOL_SIZE.',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const now = pool();
        this.set({ state: 'total' }, now.total);
        this.set({ state: 'idle' }, now.idle);
        this.set({ state: 'waiting' }, now.waiting);
        this.set({ state: 'max' }, now.max);
      },
    });
  }

  const measure: RequestHandler = (request, response, next) => {
    const started = performance.now();
    response.once('close', () => {
      // Express sets the route once one matched; static files share a label, and so does anything
      // refused before a route (a 404, a 401 or 429 from the API guard).
      const route = request.route
        ? `${request.baseUrl}${String(request.route.path)}`
        : request.method === 'GET' && response.statusCode < 400
          ? 'static'
          : 'unmatched';
      requests.inc({ method: request.method, route, status: String(response.statusCode) });
      requestSeconds.observe({ method: request.method, route }, (performance.now() - started) / 1000);
    });
    next();
  };

  return {
    registry,
    measure,
    countAnswer(collection, answer) {
      answers.inc({ collection, mode: answer.mode, outcome: answer.answerable ? 'answered' : 'refused' });
      retrievalSeconds.observe({ collection }, answer.timings.retrieveMs / 1000);
      answerSeconds.observe({ collection, mode: answer.mode }, answer.timings.totalMs / 1000);
    },
    observeStoreQuery(operation, seconds) {
      storeSeconds.observe({ operation }, seconds);
    },
  };
}

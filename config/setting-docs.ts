import type { z } from 'zod';
import type { settingsSchema } from './load-config.js';

/** The name of every setting the schema knows. */
export type SettingName = keyof z.input<typeof settingsSchema>;

/** Sections of docs/configuration.md, in the order .env.example keeps them. */
export const SETTING_GROUPS = [
  'Settings file',
  'Server',
  'Documents and index',
  'Ingest limits',
  'Crawling a site',
  'Embeddings',
  'Answers',
  'Retrieval and refusal',
  'API access and limits',
  'Slack',
  'Postgres',
] as const;

export interface SettingDoc {
  group: (typeof SETTING_GROUPS)[number];
  /** What it does, in Markdown: one or two sentences for a reader choosing a value. */
  description: string;
  /** Only for settings the schema leaves unset: what happens then (Markdown). */
  whenUnset?: string;
  /** What a value looks like, where the schema says only "a string" (sizes, lists, URLs, paths). */
  accepts?: string;
  /** Read from the process environment only, before any settings file: .env.example cannot set it. */
  environmentOnly?: true;
}

/**
 * Every setting's documentation, beside the schema rather than inside it so that a setting added
 * to the schema without a line here fails the type check. `npm run docs:config` renders it into
 * docs/configuration.md; `npm run docs:check` (CI) fails when that file is stale.
 */
export const SETTING_DOCS: Record<SettingName, SettingDoc> = {
  ENV_FILE: {
    group: 'Settings file',
    accepts: 'a file, or `none`',
    description:
      'The file of settings every command reads at start; `none` reads no file. Variables set in the environment win over the file.',
    environmentOnly: true,
  },
  PORT: { group: 'Server', description: 'HTTP port.' },
  HOST: { group: 'Server', accepts: 'an address', description: 'Interface to listen on (`0.0.0.0` for all).' },
  WORKERS: {
    group: 'Server',
    description:
      "Server processes sharing the port (Node's cluster), each with the index loaded; `1` serves in one process. The rate limits and Slack's memory of answered requests are held once, by the primary process, for all of them (with `STORE=postgres`, in the database).",
    whenUnset: 'one per core',
  },
  WORKER_MAX_RESTARTS: {
    group: 'Server',
    description:
      'A worker that dies while serving is replaced while the others keep the port; more deaths than this within a minute (a crash loop) stop the server with exit code 1, for a supervisor to restart or report. See [limits](limits.md#workers-a-dead-worker-is-replaced).',
  },
  ALLOWED_HOSTS: {
    group: 'Server',
    accepts: 'a comma-separated list of host names, no port',
    description:
      'Host names the server answers to besides `localhost`, `127.0.0.1` and `[::1]` when `HOST` is loopback; a request naming any other gets `403` (DNS rebinding). On other interfaces the check is on only when this is set. Behind a proxy that passes the public `Host` on, list that name. See [limits](limits.md#host-and-origin-dns-rebinding).',
    whenUnset: 'loopback names only (no check on other interfaces)',
  },
  LOG_LEVEL: { group: 'Server', description: 'pino log level (`silent` turns logs off).' },
  LOG_FORMAT: {
    group: 'Server',
    description:
      '`short`: one line per request (`12:03:04 GET /v1/answer 200 12 ms`); `json`: pino JSON lines; `auto`: short on a terminal, JSON otherwise.',
  },
  SHUTDOWN_DRAIN_SECONDS: {
    group: 'Server',
    description:
      'After SIGTERM, how long `/readyz` answers `503 draining` while requests are still served, so a load balancer stops sending before the listener closes.',
  },
  SHUTDOWN_TIMEOUT_SECONDS: {
    group: 'Server',
    description: 'After the listener closes, how long requests under way (streams included) may take before the process exits anyway.',
  },
  METRICS_TOKEN: {
    group: 'Server',
    description:
      '`GET /metrics` (Prometheus text format) then needs `Authorization: Bearer <token>`; see [operations.md](operations.md#metrics).',
    whenUnset: '`/metrics` is open, as `/healthz` is',
  },
  CORPUS_DIR: {
    group: 'Documents and index',
    accepts: 'a folder',
    description:
      "The documents `npm start` indexes when there is no index, and `npm run ingest`'s default folder. When set, `npm start` refuses an index built from another folder and says how to rebuild it.",
  },
  REINGEST: {
    group: 'Documents and index',
    description:
      '`auto`: `npm start` rebuilds the index from `CORPUS_DIR` when it was built from another folder, by another embedder or in an older format; `off`: it stops and says how to rebuild. An index of an older format built from `CORPUS_DIR` itself is rebuilt either way (a new generation beside the old one).',
  },
  INDEX_DIR: { group: 'Documents and index', accepts: 'a folder', description: 'Where the index lives: the collection `default`.' },
  COLLECTIONS_FILE: {
    group: 'Documents and index',
    accepts: 'a YAML or JSON file',
    description:
      'Lists collections (name → folder, with their own chunking, embedder, `MIN_CONFIDENCE` and `CONFIDENCE_CALIBRATION`) and the Slack channel → collection map; see [collections.md](collections.md).',
    whenUnset: 'the collection `default` and those ingested under `COLLECTIONS_INDEX_DIR`',
  },
  COLLECTIONS_INDEX_DIR: {
    group: 'Documents and index',
    accepts: 'a folder',
    description:
      'Where every collection but `default` has its index folder, `<COLLECTIONS_INDEX_DIR>/<name>/` (`npm run ingest -- FOLDER --collection NAME` writes it).',
  },
  INDEX_RELOAD_SECONDS: {
    group: 'Documents and index',
    description: 'How often a running server checks for a re-ingested index to load; `0` never (restart instead).',
  },
  STORE: {
    group: 'Documents and index',
    description:
      '`local`: each server holds the index it loads from `INDEX_DIR`; `postgres`: the index, rate limits, Slack memory and feedback live in the database at `DATABASE_URL`, so any number of replicas serve as one ([postgres.md](postgres.md)).',
  },
  CHUNK_SIZE: { group: 'Documents and index', description: 'Chunk size, in characters.' },
  CHUNK_OVERLAP: {
    group: 'Documents and index',
    description: 'How much of the end of a chunk the next one repeats, in characters; smaller than `CHUNK_SIZE`.',
  },
  INGEST_MAX_FILE_SIZE: {
    group: 'Ingest limits',
    accepts: 'a size: `512kb`, `50mb`, `1gb`',
    description: 'Largest file ingest reads (sizes such as `512kb`, `50mb`, `1gb`); a larger one is skipped with the reason.',
  },
  INGEST_MAX_PDF_PAGES: { group: 'Ingest limits', description: 'Most pages of a PDF.' },
  INGEST_MAX_PDF_DECOMPRESSED_SIZE: {
    group: 'Ingest limits',
    accepts: 'a size: `512kb`, `50mb`, `1gb`',
    description:
      "Most bytes all of a PDF's streams may decode to, every filter of a chain counted (`[/FlateDecode /FlateDecode]` twice): catches compression bombs before pdf.js parses them.",
  },
  INGEST_MAX_HTML_SIZE: {
    group: 'Ingest limits',
    accepts: 'a size: `512kb`, `50mb`, `1gb`',
    description: 'Largest HTML file; never silently truncated.',
  },
  INGEST_MAX_HTML_DEPTH: {
    group: 'Ingest limits',
    description: 'Deepest element nesting of an HTML file (extraction time grows with the square of the depth).',
  },
  INGEST_MAX_MARKDOWN_SIZE: {
    group: 'Ingest limits',
    accepts: 'a size: `512kb`, `50mb`, `1gb`',
    description: 'Largest Markdown file: micromark holds about 350 bytes of tree per character, so 4 MB parse in about 1.5 GB.',
  },
  INGEST_MAX_MARKDOWN_TABLE_ROWS: {
    group: 'Ingest limits',
    description: "Most rows of all of a Markdown file's tables together (each costs about 22 kB to parse); counted before parsing.",
  },
  INGEST_MAX_MARKDOWN_DEPTH: {
    group: 'Ingest limits',
    description:
      'Deepest nesting of block quotes and lists in a Markdown file (parse time grows with lines × depth); counted before parsing.',
  },
  INGEST_MAX_PARSE_MEMORY: {
    group: 'Ingest limits',
    accepts: 'a size: `512kb`, `50mb`, `1gb`',
    description:
      'Heap of the worker thread each Markdown, HTML or PDF file is parsed in; a file whose parser needs more is skipped with the reason, and the run goes on.',
  },
  INGEST_MAX_PARSE_SECONDS: {
    group: 'Ingest limits',
    description: 'Longest a Markdown, HTML or PDF file may take to read; a slower one is skipped with the reason. `0`: no limit.',
  },
  EMBEDDINGS: {
    group: 'Embeddings',
    description: '`local` (offline word vectors) or `openai` (OpenAI, or any OpenAI-compatible server through `OPENAI_BASE_URL`).',
  },
  WORD_VECTORS_CACHE: {
    group: 'Embeddings',
    accepts: 'a file',
    description: 'Binary cache of the local word vectors, built on first use (about 10 seconds).',
  },
  EMBEDDING_MODEL: { group: 'Embeddings', description: 'Embedding model for `EMBEDDINGS=openai`.' },
  ANSWER_MODE: {
    group: 'Answers',
    description:
      '`extractive` (offline: quotes the sources) or `generative` (a chat model writes the answer; every citation is still verified).',
    whenUnset: '`generative` when `OPENAI_API_KEY` is set, else `extractive`',
  },
  CHAT_MODEL: { group: 'Answers', description: 'Chat model for generative answers.' },
  OPENAI_API_KEY: { group: 'Answers', description: 'Key for OpenAI, or for the OpenAI-compatible server.' },
  OPENAI_BASE_URL: {
    group: 'Answers',
    accepts: 'a URL',
    description: 'Any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio), e.g. `http://localhost:11434/v1`.',
    whenUnset: "OpenAI's API",
  },
  MODEL_TIMEOUT_MS: {
    group: 'Answers',
    description: "Longest wait for the model's first token, or between tokens; a stall counts as a timeout.",
  },
  MODEL_MAX_RETRIES: { group: 'Answers', description: 'Retries of a timeout, 429 or 5xx before the answer falls back to quoting.' },
  TOP_K: { group: 'Retrieval and refusal', description: 'Passages per answer.' },
  DENSE_WEIGHT: {
    group: 'Retrieval and refusal',
    description:
      'Dense share of the fused retrieval score. See [how it answers](how-it-answers.md#retrieval) for how the default was chosen.',
    whenUnset: '`0` with `EMBEDDINGS=local`, `0.5` with `openai`',
  },
  MIN_CONFIDENCE: {
    group: 'Retrieval and refusal',
    description:
      'Refuse answers whose `confidence` (the calibrated probability that the answer is right) is below this; higher refuses more. See [how it answers](how-it-answers.md#confidence).',
    whenUnset:
      "`CONFIDENCE_CALIBRATION`'s threshold, else the one the answerability model was trained with (about 0.20 on prose, 0.43 on Markdown and HTML)",
  },
  CONFIDENCE_CALIBRATION: {
    group: 'Retrieval and refusal',
    accepts: 'a JSON file',
    description:
      'A confidence calibration fitted on your own eval set (`npm run eval -- --cases FILE --calibrate OUT.json`, see [evaluation](evaluation.md#calibrating-the-confidence-for-your-documents)): its map from the evidence to `confidence`, and its refusal threshold, replace the shipped ones on every surface and in the eval; read at start. A collection may name its own in `COLLECTIONS_FILE`.',
    whenUnset: 'none',
  },
  API_KEYS: {
    group: 'API access and limits',
    accepts: 'a comma-separated list of `key` or `key:collection|collection`',
    description:
      'Comma-separated keys; when set, `/v1/*` and `/mcp` need `Authorization: Bearer <key>`. `key` reads every collection; `key:handbook|runbooks` reads only those (the first when a request names none) and gets 403 for any other ([collections.md](collections.md)).',
    whenUnset: 'no key needed',
  },
  RATE_LIMIT_PER_MINUTE: {
    group: 'API access and limits',
    description: 'Requests a minute per matched key (without one: per client address) on `/v1/*` and `/mcp`; `0` turns it off.',
  },
  RATE_LIMIT_MAX_CLIENTS: { group: 'API access and limits', description: 'Most clients the rate limiter remembers (its memory bound).' },
  TRUST_PROXY: {
    group: 'API access and limits',
    accepts: 'a hop count, or addresses and ranges',
    description:
      'Proxies whose `X-Forwarded-For` names the client: a hop count (`1`) or addresses and ranges (`loopback,10.0.0.0/8`). `true` is refused: clients could forge their address.',
    whenUnset: 'none: the connecting address is the client',
  },
  SOURCE_MAX_CHARS: {
    group: 'API access and limits',
    description: 'Most characters of source text in one `GET /v1/sources/:docId` response or MCP resource read.',
  },
  CORS_ORIGINS: {
    group: 'API access and limits',
    accepts: 'a comma-separated list',
    description: 'Comma-separated origins allowed by CORS, and to call `/mcp` from a browser.',
    whenUnset: 'no CORS',
  },
  MAX_QUESTION_CHARS: { group: 'API access and limits', description: 'Longest question.' },
  MAX_HISTORY_TURNS: { group: 'API access and limits', description: 'Most earlier turns in `history`.' },
  BODY_LIMIT: { group: 'API access and limits', accepts: 'a size: `64kb`, `1mb`', description: 'Largest JSON body.' },
  SLACK_BOT_TOKEN: {
    group: 'Slack',
    description:
      'The bot token (`xoxb-…`); with `SLACK_APP_TOKEN` or `SLACK_SIGNING_SECRET` it turns the Slack app on. A token Slack refuses turns Slack off only.',
  },
  SLACK_APP_TOKEN: {
    group: 'Slack',
    description:
      'App-level token (`xapp-…`, scope `connections:write`): Slack over Socket Mode, no public URL. Wins over the signing secret.',
  },
  SLACK_SIGNING_SECRET: {
    group: 'Slack',
    description: 'Slack over the HTTP endpoint `POST /slack/events`, each request verified with this secret.',
  },
  SLACK_COMMAND_VISIBILITY: {
    group: 'Slack',
    description: "Who sees a slash command's answer: `ephemeral` (the asker) or `in_channel` (the channel).",
  },
  SLACK_RATE_LIMIT_PER_MINUTE: { group: 'Slack', description: 'Requests a minute per workspace on `/slack/events`; `0` turns it off.' },
  SLACK_API_URL: {
    group: 'Slack',
    accepts: 'a URL',
    description: 'Slack Web API base URL, for tests against a fake.',
    whenUnset: '`https://slack.com/api/`',
  },
  FEEDBACK_FILE: { group: 'Slack', accepts: 'a file', description: "Where presses of Slack's feedback buttons are recorded." },
  DATABASE_URL: {
    group: 'Postgres',
    accepts: 'a `postgres://` URL',
    description:
      'The database of `STORE=postgres` (Postgres 17 with pgvector; pg_textsearch for BM25). TLS through its `sslmode`, `sslrootcert`, `sslcert` and `sslkey` parameters, as node-postgres reads them.',
    whenUnset: 'none: `STORE=postgres` refuses to start',
  },
  DATABASE_POOL_SIZE: { group: 'Postgres', description: 'Connections each server process (or CLI) keeps open to the database, at most.' },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    group: 'Postgres',
    description:
      'Longest a query may run before the database cancels it (and the longest wait to connect); the request gets `503 store_unavailable`.',
  },
  DATABASE_LEXICAL_SEARCH: {
    group: 'Postgres',
    description:
      "How lexical candidates are found: `bm25` (the pg_textsearch index), `fts` (full-text search: `tsvector` and GIN), or `auto` (`bm25` where pg_textsearch is installed). Either way they are scored with the local store's BM25 ([postgres.md](postgres.md#ranking)).",
  },
  DATABASE_GENERATION_GRACE_SECONDS: {
    group: 'Postgres',
    description:
      'How long a replaced generation stays in the database, for replicas still answering from it; an ingest removes older ones.',
  },
  EMBEDDED_DATABASE_PORT: {
    group: 'Postgres',
    description: 'The port `npm run db:embedded` serves its embedded Postgres on (`0`: any free port).',
  },
  EMBEDDED_DATABASE_DIR: {
    group: 'Postgres',
    accepts: 'a folder',
    description: 'Where `npm run db:embedded` keeps its data between runs.',
    whenUnset: 'in memory: gone when it stops',
  },
  CRAWL_ALLOW_PRIVATE: {
    group: 'Crawling a site',
    accepts: '`0`, `1`, or address ranges such as `10.1.0.0/16,fd00::/8`',
    description:
      '`0`: the crawler fetches only public addresses; `1`: private, loopback and link-local ones too (intranets, tests); or only the ranges listed. Checked after DNS resolution and on every redirect.',
  },
  CRAWL_USER_AGENT: {
    group: 'Crawling a site',
    description: 'Sent with every request; robots.txt groups are matched by its first word (`VerbatimBot`).',
  },
  CRAWL_INCLUDE: {
    group: 'Crawling a site',
    accepts: 'comma-separated globs over the URL path',
    description: 'Only pages whose path matches one of these are crawled (empty: every page under the start URL).',
  },
  CRAWL_EXCLUDE: {
    group: 'Crawling a site',
    accepts: 'comma-separated globs over the URL path',
    description: 'Pages whose path matches one of these are skipped.',
  },
  CRAWL_CONCURRENCY: { group: 'Crawling a site', description: 'Requests in flight at once.' },
  CRAWL_DELAY_MS: {
    group: 'Crawling a site',
    description: 'Least time between two requests to one host (a longer robots.txt `Crawl-delay` wins).',
  },
  CRAWL_MAX_PAGES: { group: 'Crawling a site', description: 'Most pages one crawl fetches.' },
  CRAWL_MAX_DEPTH: { group: 'Crawling a site', description: "Links followed from the start page (a sitemap's pages count as one)." },
  CRAWL_MAX_PAGE_SIZE: { group: 'Crawling a site', accepts: 'a size such as `10mb`', description: 'A larger page is skipped and listed.' },
  CRAWL_MAX_TOTAL_SIZE: {
    group: 'Crawling a site',
    accepts: 'a size such as `1gb`',
    description: 'The crawl stops fetching once it has read this much.',
  },
  CRAWL_TIMEOUT_MS: { group: 'Crawling a site', description: 'Longest wait for one page, redirects and body included.' },
  CRAWL_MAX_REDIRECTS: { group: 'Crawling a site', description: 'Redirects followed for one page.' },
  CRAWL_MAX_RETRIES: { group: 'Crawling a site', description: 'Tries after a 429 or 503.' },
  CRAWL_MAX_RETRY_AFTER_SECONDS: {
    group: 'Crawling a site',
    description: 'The longest `Retry-After` waited for; a page asking for longer is reported and skipped.',
  },
};

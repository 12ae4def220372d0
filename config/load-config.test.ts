import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('gives the offline defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      EMBEDDINGS: 'local',
      ANSWER_MODE: 'extractive',
      TOP_K: 5,
      CHUNK_SIZE: 1000,
      CHUNK_OVERLAP: 200,
      API_KEYS: [],
    });
  });

  it('defaults to generative answers when an OpenAI key is set', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).ANSWER_MODE).toBe('generative');
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', ANSWER_MODE: 'extractive' }).ANSWER_MODE).toBe('extractive');
  });

  it('names each invalid variable and what it accepts', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', EMBEDDINGS: 'bert', OPENAI_BASE_URL: 'not a url' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT="eighty": must be a whole number/);
    expect(attempt).toThrow(/EMBEDDINGS="bert": must be local or openai/);
    expect(attempt).toThrow(/OPENAI_BASE_URL="not a url": must be a URL/);
  });

  it('rejects settings that cannot work together', () => {
    expect(() => loadConfig({ ANSWER_MODE: 'generative' })).toThrow(/ANSWER_MODE=generative needs OPENAI_API_KEY/);
    expect(() => loadConfig({ EMBEDDINGS: 'openai' })).toThrow(/EMBEDDINGS=openai needs OPENAI_API_KEY/);
    expect(() => loadConfig({ CHUNK_SIZE: '300', CHUNK_OVERLAP: '300' })).toThrow(/CHUNK_OVERLAP=300: must be smaller than CHUNK_SIZE/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      /SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET \(HTTP events endpoint\) or SLACK_APP_TOKEN \(Socket Mode\)/,
    );
    expect(() => loadConfig({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_APP_TOKEN needs SLACK_BOT_TOKEN too/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_SIGNING_SECRET needs SLACK_BOT_TOKEN too/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_COMMAND_VISIBILITY: 'public' })).toThrow(
      /SLACK_COMMAND_VISIBILITY="public": must be ephemeral or in_channel/,
    );
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({
      SLACK_COMMAND_VISIBILITY: 'ephemeral',
      SLACK_RATE_LIMIT_PER_MINUTE: 60,
    });
  });

  it('treats empty values as unset, as in a copied .env.example', () => {
    const config = loadConfig({ ANSWER_MODE: '', PORT: ' ', DENSE_WEIGHT: '' });
    expect(config).toMatchObject({ ANSWER_MODE: 'extractive', PORT: 3000 });
    expect(config.DENSE_WEIGHT).toBeUndefined();
  });

  it('takes WORKERS as a count of at least 1, unset meaning one per core', () => {
    expect(loadConfig({ WORKERS: '3' }).WORKERS).toBe(3);
    expect(loadConfig({ WORKERS: '' }).WORKERS).toBeUndefined();
    expect(() => loadConfig({ WORKERS: '0' })).toThrow(/WORKERS="0": must be at least 1/);
    expect(() => loadConfig({ WORKERS: 'two' })).toThrow(/WORKERS="two": must be a whole number/);
  });

  it('tells a CORPUS_DIR that was set from the default, and reads REINGEST', () => {
    expect(loadConfig({})).toMatchObject({ CORPUS_DIR: 'corpus', corpusDirSet: false, REINGEST: 'off' });
    expect(loadConfig({ CORPUS_DIR: '' })).toMatchObject({ CORPUS_DIR: 'corpus', corpusDirSet: false });
    expect(loadConfig({ CORPUS_DIR: 'docs', REINGEST: 'auto' })).toMatchObject({
      CORPUS_DIR: 'docs',
      corpusDirSet: true,
      REINGEST: 'auto',
    });
    expect(() => loadConfig({ REINGEST: 'always' })).toThrow(/REINGEST="always": must be off or auto/);
  });

  it('splits comma-separated lists', () => {
    expect(loadConfig({ CORS_ORIGINS: ' a, b ,,c' }).CORS_ORIGINS).toEqual(['a', 'b', 'c']);
  });

  it('reads API keys, each reading every collection or only those named after a colon, and never prints a key', () => {
    expect(loadConfig({ API_KEYS: ' a, b:handbook ,,c:hr|runbooks|hr' }).API_KEYS).toEqual([
      { key: 'a' },
      { key: 'b', collections: ['handbook'] },
      { key: 'c', collections: ['hr', 'runbooks'] },
    ]);
    const attempt = () => loadConfig({ API_KEYS: 'sekrit-one:Bad Name,sekrit-two:,:hr' });
    expect(attempt).toThrow(/API_KEYS: entry 1 names "Bad Name", which is not a collection name/);
    expect(attempt).toThrow(/API_KEYS: entry 2 names no collection after the ":"/);
    expect(attempt).toThrow(/API_KEYS: entry 3 has collections but no key before the ":"/);
    expect(attempt).not.toThrow(/sekrit/);
  });

  it('takes the collections settings: a file, where collections are indexed, a calibration file', () => {
    expect(loadConfig({})).toMatchObject({ COLLECTIONS_INDEX_DIR: 'index-collections' });
    expect(loadConfig({})).not.toHaveProperty('COLLECTIONS_FILE', expect.anything());
    expect(loadConfig({ COLLECTIONS_FILE: 'collections.yaml', CONFIDENCE_CALIBRATION: 'cal.json' })).toMatchObject({
      COLLECTIONS_FILE: 'collections.yaml',
      CONFIDENCE_CALIBRATION: 'cal.json',
    });
  });

  it('takes ALLOWED_HOSTS as host names, refusing a scheme or port', () => {
    expect(loadConfig({}).ALLOWED_HOSTS).toEqual([]);
    expect(loadConfig({ ALLOWED_HOSTS: 'verbatim.internal, [::2]' }).ALLOWED_HOSTS).toEqual(['verbatim.internal', '[::2]']);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'http://x.example' })).toThrow(/ALLOWED_HOSTS="http:\/\/x.example": must be host names/);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'x.example:3000' })).toThrow(/ALLOWED_HOSTS=.*without a scheme or port/);
  });

  it('parses the limits: sizes with units, whole numbers, proxies', () => {
    const config = loadConfig({ INGEST_MAX_FILE_SIZE: '2mb', INGEST_MAX_HTML_SIZE: '512kb', TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(config).toMatchObject({
      INGEST_MAX_FILE_SIZE: 2 * 1024 * 1024,
      INGEST_MAX_HTML_SIZE: 512 * 1024,
      INGEST_MAX_PDF_DECOMPRESSED_SIZE: 200 * 1024 * 1024,
      INGEST_MAX_PDF_PAGES: 2000,
      INGEST_MAX_HTML_DEPTH: 256,
      RATE_LIMIT_MAX_CLIENTS: 10_000,
      SOURCE_MAX_CHARS: 200_000,
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
    });
    expect(() => loadConfig({ INGEST_MAX_FILE_SIZE: 'huge' })).toThrow(/INGEST_MAX_FILE_SIZE="huge": must be a size such as 512kb/);
    expect(() => loadConfig({ INGEST_MAX_PDF_PAGES: '0' })).toThrow(/INGEST_MAX_PDF_PAGES="0": must be at least 1/);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY="true": .*any X-Forwarded-For/);
  });

  it('gives every crawl setting a default, and refuses private addresses unless CRAWL_ALLOW_PRIVATE allows them', () => {
    expect(loadConfig({})).toMatchObject({
      CRAWL_ALLOW_PRIVATE: [],
      CRAWL_USER_AGENT: expect.stringMatching(/^VerbatimBot\//),
      CRAWL_INCLUDE: [],
      CRAWL_EXCLUDE: [],
      CRAWL_CONCURRENCY: 4,
      CRAWL_DELAY_MS: 250,
      CRAWL_MAX_PAGES: 1000,
      CRAWL_MAX_DEPTH: 10,
      CRAWL_MAX_PAGE_SIZE: 10 * 1024 * 1024,
      CRAWL_MAX_TOTAL_SIZE: 1024 * 1024 * 1024,
      CRAWL_TIMEOUT_MS: 30_000,
      CRAWL_MAX_REDIRECTS: 5,
      CRAWL_MAX_RETRIES: 2,
      CRAWL_MAX_RETRY_AFTER_SECONDS: 120,
    });
    expect(loadConfig({ CRAWL_ALLOW_PRIVATE: '1' }).CRAWL_ALLOW_PRIVATE).toBe('all');
    expect(loadConfig({ CRAWL_ALLOW_PRIVATE: '0' }).CRAWL_ALLOW_PRIVATE).toEqual([]);
    expect(loadConfig({ CRAWL_ALLOW_PRIVATE: '10.1.0.0/16, fd00::/8,192.168.1.5' }).CRAWL_ALLOW_PRIVATE).toEqual([
      '10.1.0.0/16',
      'fd00::/8',
      '192.168.1.5',
    ]);
    expect(() => loadConfig({ CRAWL_ALLOW_PRIVATE: 'intranet' })).toThrow(/CRAWL_ALLOW_PRIVATE="intranet": must be 0, 1 or address ranges/);
    expect(loadConfig({ CRAWL_EXCLUDE: '/blog/**, **/changelog*' }).CRAWL_EXCLUDE).toEqual(['/blog/**', '**/changelog*']);
    expect(() => loadConfig({ CRAWL_CONCURRENCY: '0' })).toThrow(/CRAWL_CONCURRENCY="0": must be at least 1/);
  });
});

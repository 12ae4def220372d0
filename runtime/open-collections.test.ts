import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../core/answer/answer-question.js';
import { loadCollectionsFile } from '../config/load-collections-file.js';
import { loadConfig } from '../config/load-config.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { readCurrentGeneration } from '../store/index-layout.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { COLLECTION_QUESTIONS, writeCollectionFolders } from '../test/helpers/two-collections.js';
import { TEST_WORD_VECTORS } from '../test/paths.js';
import { CollectionUnavailableError } from './collection-unavailable-error.js';
import { EngineRegistry } from './engine-registry.js';
import { listCollections } from './list-collections.js';
import { openCollections } from './open-collections.js';
import type { OpenedEngine } from './open-engine.js';
import { SharedParts } from './shared-parts.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };
const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });

/** Flips a few bytes of a file, keeping its size: only its checksum can tell. */
function flipBytes(file: string): void {
  const bytes = readFileSync(file);
  for (const at of [1, Math.floor(bytes.length / 2), bytes.length - 2]) bytes[at] ^= 0x5a;
  writeFileSync(file, bytes);
}

const stops: (() => void)[] = [];
afterAll(() => stops.forEach((stop) => stop()));

describe('openCollections', () => {
  it('serves the intact collections while a damaged and a missing one are refused by name; each reloads on its own generation', async () => {
    const root = temporaryDir();
    const folders = writeCollectionFolders(root);
    const collectionsDir = join(root, 'index-collections');
    // handbook: ingested with no collections file (found under COLLECTIONS_INDEX_DIR); runbooks: listed, then damaged; ghost: listed, folder missing.
    await ingest(folders.handbook, join(collectionsDir, 'handbook'));
    const runbooksGeneration = (await ingest(folders.runbooks, join(collectionsDir, 'runbooks'))).generation;
    flipBytes(join(collectionsDir, 'runbooks', runbooksGeneration, 'texts.bin'));
    const file = join(root, 'collections.yaml');
    writeFileSync(file, `collections:\n  runbooks: ${folders.runbooks}\n  ghost: ${join(root, 'no-such-folder')}\n`);
    const config = loadConfig({
      WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
      INDEX_DIR: join(root, 'index'),
      CORPUS_DIR: folders.handbook,
      COLLECTIONS_INDEX_DIR: collectionsDir,
      CHUNK_SIZE: '400',
      CHUNK_OVERLAP: '80',
    });
    const specs = await listCollections(config, loadCollectionsFile(file));
    expect(specs.map((spec) => spec.name)).toEqual(['default', 'runbooks', 'ghost', 'handbook']);

    const registry = new EngineRegistry(specs.map((spec) => spec.name));
    const errors: string[] = [];
    const loaded: { name: string; generation: string | null; reloaded: boolean }[] = [];
    let announce: (() => void) | undefined;
    const { outcomes, stop } = await openCollections({
      registry,
      specs,
      shared: new SharedParts(() => undefined),
      reloadSeconds: 0.05,
      log: () => undefined,
      onError: (name, error, _generation, serving) => errors.push(`${name} ${serving}: ${(error as Error).message}`),
      onLoaded: (name, engine: OpenedEngine, reloaded) => {
        loaded.push({ name, generation: engine.generation, reloaded });
        announce?.();
      },
    });
    stops.push(stop);
    expect(outcomes.map((outcome) => `${outcome.name}:${'engine' in outcome ? 'served' : 'unavailable'}`)).toEqual([
      'default:served', // built at start from CORPUS_DIR, as before collections
      'runbooks:unavailable',
      'ghost:unavailable',
      'handbook:served',
    ]);
    expect(errors).toEqual([expect.stringMatching(/^runbooks false: .*damaged/), expect.stringMatching(/^ghost false: /)]);
    expect(registry.states().map((state) => state.status)).toEqual(['ready', 'unavailable', 'unavailable', 'ready']);
    expect(() => registry.resolve('runbooks')).toThrow(CollectionUnavailableError);
    const handbook = await collectAnswer(registry.resolve('handbook').answer({ question: COLLECTION_QUESTIONS.handbook.question }));
    expect(handbook.answer).toContain('27');

    /** Waits until the watcher has put a generation of `name` in place (a positive marker, not a sleep). */
    const nextLoad = (name: string) =>
      new Promise<void>((resolve) => {
        announce = () => loaded.some((entry) => entry.name === name && entry.reloaded) && resolve();
      });

    // An ingest over the damaged collection commits a generation that loads: it comes back, the others untouched.
    const handbookGeneration = registry.resolve('handbook').generation;
    const back = nextLoad('runbooks');
    const repaired = (await ingest(folders.runbooks, join(collectionsDir, 'runbooks'))).generation;
    await back;
    expect(registry.resolve('runbooks').generation).toBe(repaired);
    const runbooks = await collectAnswer(registry.resolve('runbooks').answer({ question: COLLECTION_QUESTIONS.runbooks.question }));
    expect(runbooks.answer).toContain('bravo-7');
    expect(registry.resolve('handbook').generation).toBe(handbookGeneration);

    // A new generation of one collection is loaded into that one alone.
    loaded.length = 0;
    const next = nextLoad('handbook');
    writeFileSync(join(folders.handbook, 'parking.md'), '# Parking\n\nStaff park on level -2 of the Avenida garage.\n');
    const newer = (await ingest(folders.handbook, join(collectionsDir, 'handbook'))).generation;
    await next;
    expect(registry.resolve('handbook').generation).toBe(newer);
    expect(registry.resolve('runbooks').generation).toBe(repaired);
    expect(await readCurrentGeneration(join(collectionsDir, 'handbook'))).toBe(newer);
    expect(() => registry.resolve('ghost')).toThrow(CollectionUnavailableError);
  });
});

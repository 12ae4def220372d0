import { writeFileSync } from 'node:fs';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { loadSearchIndex, readManifest } from '../store/index-files.js';
import { LOCAL_IDENTITY, localDependencies, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { reloadEngine } from './open-engine.js';
import { watchIndex } from './watch-index.js';

const chunking = { chunkSize: 1000, chunkOverlap: 200 };

async function until(check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('watchIndex', () => {
  it('loads the new index after a re-ingest, and keeps the old one when the new one cannot load', async () => {
    const source = temporaryDir();
    cpSync(CORPUS_DIR, source, { recursive: true });
    const indexDir = join(temporaryDir(), 'index');
    const ingest = () =>
      ingestDocuments({ sourceDir: source, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });
    await ingest();
    const first = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    let engine = localDependencies(first);
    const errors: unknown[] = [];
    const stop = watchIndex({
      indexDir,
      intervalMs: 30,
      current: (await readManifest(indexDir)).createdAt,
      load: () => reloadEngine(engine, indexDir),
      onReload: (reloaded) => {
        engine = reloaded;
      },
      onError: (error) => errors.push(error),
    });
    try {
      writeFileSync(join(source, 'new.txt'), 'The Orion depot opens at 7am.');
      await ingest();
      await until(() => engine.store !== first);
      expect((await engine.store.listDocuments()).map((d) => d.docId)).toContain('new.txt');

      // A damaged new index: reported, and the engine in use stays.
      writeFileSync(join(indexDir, 'vectors.f32'), 'broken');
      writeFileSync(
        join(indexDir, 'manifest.json'),
        JSON.stringify({ ...(await readManifest(indexDir)), createdAt: '2099-01-01T00:00:00.000Z' }),
      );
      await until(() => errors.length > 0);
      expect(String(errors[0])).toMatch(/damaged/);
      expect((await engine.store.listDocuments()).length).toBe(2);
    } finally {
      stop();
    }
  });
});

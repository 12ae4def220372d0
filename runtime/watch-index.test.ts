import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { readCurrentGeneration } from '../store/index-layout.js';
import { loadIndex } from '../store/load-index.js';
import type { SearchIndex } from '../store/search-index.js';
import { LOCAL_IDENTITY, indexChunks, localEngine, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { watchIndex } from './watch-index.js';

const chunking = { chunkSize: 300, chunkOverlap: 50 };

/** An engine over one generation of the index, with its store (to look inside it). */
interface Served {
  engine: Engine;
  index: SearchIndex;
}

async function serve(indexDir: string, generation?: string): Promise<Served> {
  const loaded = await loadIndex(indexDir, LOCAL_IDENTITY, generation ? { generation } : {});
  return { engine: localEngine(loaded.index, { generation: loaded.generation }), index: loaded.index };
}

async function until(check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const ingestInto = (sourceDir: string, indexDir: string, onCommitStep?: Parameters<typeof ingestDocuments>[0]['onCommitStep']) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking, onCommitStep });

/** A folder of `count` documents that all name `label`, so a mixed index shows at once. */
function labelledCorpus(label: string, count: number): string {
  const folder = temporaryDir();
  for (let i = 0; i < count; i++) {
    writeFileSync(join(folder, `${label}-${i}.txt`), `${label} record ${i}. `.repeat(40 + i * 7) + `The ${label} depot opens at ${i}am.`);
  }
  return folder;
}

/** Fails unless the index holds exactly one labelled corpus, each chunk cut from its own document. */
async function expectWhole(index: SearchIndex, labels: Record<string, string[]>): Promise<string> {
  const ids = (await index.listDocuments()).map((d) => d.docId);
  const label = Object.keys(labels).find((name) => JSON.stringify(labels[name]) === JSON.stringify(ids));
  expect(label, `documents ${ids.join(', ')} are not one corpus`).toBeDefined();
  for (const chunk of await indexChunks(index)) {
    expect(chunk.docId.startsWith(label!)).toBe(true);
    expect(await index.getText(chunk.docId, chunk.start, chunk.end)).toBe(chunk.text);
  }
  return label!;
}

describe('watchIndex', () => {
  it('loads a newly committed generation, and reports a damaged one once while the old one stays in use', async () => {
    const source = temporaryDir();
    cpSync(CORPUS_DIR, source, { recursive: true });
    const indexDir = join(temporaryDir(), 'index');
    const first = await ingestInto(source, indexDir);
    let current = await serve(indexDir);
    const errors: [unknown, string | null][] = [];
    let loads = 0;
    const stop = watchIndex({
      readCurrent: () => readCurrentGeneration(indexDir),
      intervalMs: 10,
      current: first.generation,
      load: (generation) => {
        loads++;
        return serve(indexDir, generation);
      },
      onReload: (reloaded) => {
        current = reloaded;
      },
      onError: (error, generation) => errors.push([error, generation]),
    });
    try {
      writeFileSync(join(source, 'new.txt'), 'The Orion depot opens at 7am.');
      const second = await ingestInto(source, indexDir);
      await until(() => current.engine.generation === second.generation);
      expect((await current.engine.sources()).map((d) => d.docId)).toContain('new.txt');

      // A generation whose vectors were damaged before the pointer named it: refused, reported once.
      writeFileSync(join(source, 'third.txt'), 'The Vega depot opens at 9am.');
      const third = await ingestInto(source, indexDir, (step) => {
        if (step !== 'generation-written') return;
        const staging = readdirSync(indexDir).find((name) => name.startsWith('.staging-'))!;
        const file = join(indexDir, staging, 'vectors.f32');
        const bytes = readFileSync(file);
        bytes[8] ^= 0xff;
        writeFileSync(file, bytes);
      });
      await until(() => errors.length > 0);
      const loadsAtError = loads;
      await new Promise((resolve) => setTimeout(resolve, 200)); // about 20 more polls
      expect(errors).toHaveLength(1);
      expect(errors[0][1]).toBe(third.generation);
      expect(String(errors[0][0])).toMatch(/vectors\.f32 does not match its checksum/);
      expect(loads).toBe(loadsAtError);
      expect(current.engine.generation).toBe(second.generation);
      expect((await current.engine.sources()).map((d) => d.docId)).not.toContain('third.txt');
    } finally {
      stop();
    }
  });

  it('never serves a mix of two generations while ingests race the reloads', async () => {
    const corpora = { alpha: labelledCorpus('alpha', 4), beta: labelledCorpus('beta', 3) };
    const labels = {
      alpha: ['alpha-0.txt', 'alpha-1.txt', 'alpha-2.txt', 'alpha-3.txt'],
      beta: ['beta-0.txt', 'beta-1.txt', 'beta-2.txt'],
    };
    const indexDir = join(temporaryDir(), 'index');
    const first = await ingestInto(corpora.alpha, indexDir);
    let current = await serve(indexDir);
    const errors: unknown[] = [];
    const served: { generation: string; label: string }[] = [];
    const stop = watchIndex({
      readCurrent: () => readCurrentGeneration(indexDir),
      intervalMs: 1,
      current: first.generation,
      load: (generation) => serve(indexDir, generation),
      onReload: (reloaded) => {
        current = reloaded;
      },
      onError: (error) => errors.push(error),
    });
    const committed = new Map<string, string>([[first.generation, 'alpha']]);
    let ingesting = true;
    // Loads straight from the folder as well, over and over, while the ingests commit and prune.
    const reader = (async () => {
      for (let i = 0; ingesting && i < 200; i++) {
        const snapshot = await loadIndex(indexDir, LOCAL_IDENTITY);
        served.push({ generation: snapshot.generation, label: await expectWhole(snapshot.index, labels) });
      }
    })();
    try {
      for (let round = 0; round < 8; round++) {
        const label = round % 2 === 0 ? 'beta' : 'alpha';
        const summary = await ingestInto(corpora[label], indexDir);
        committed.set(summary.generation, label);
        served.push({ generation: current.engine.generation!, label: await expectWhole(current.index, labels) });
      }
    } finally {
      ingesting = false;
      await reader;
      stop();
    }
    expect(errors).toEqual([]);
    expect(served.length).toBeGreaterThan(8);
    // Each generation served holds the corpus its ingest committed.
    for (const { generation, label } of served) expect(committed.get(generation)).toBe(label);
  });
});

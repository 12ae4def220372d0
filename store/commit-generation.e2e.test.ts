import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, ROOT } from '../test/paths.js';
import type { CommitStep } from './commit-generation.js';
import { CURRENT_FILE, HOST_TAG, isGenerationName, readCurrentGeneration } from './index-layout.js';
import { loadIndex } from './load-index.js';
import { recoverIndex } from './recover-index.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };
const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });

/** Runs an ingest in a child process that SIGKILLs itself at `step` of the commit. */
function ingestKilledAt(sourceDir: string, indexDir: string, step: CommitStep) {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/helpers/ingest-until-killed.ts'), sourceDir, indexDir, step],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  expect(child.signal, child.stderr).toBe('SIGKILL');
}

const documentIds = async (indexDir: string) => {
  const { index, generation } = await loadIndex(indexDir, LOCAL_IDENTITY);
  return { generation, ids: (await index.listDocuments()).map((d) => d.docId) };
};

describe('commitGeneration under kill -9', () => {
  const steps: [CommitStep, 'old' | 'new'][] = [
    ['generation-written', 'old'],
    ['generation-renamed', 'old'],
    ['pointer-written', 'old'],
    ['pointer-swapped', 'new'],
    ['pruned', 'new'],
  ];
  it.each(steps)(
    'killed at %s, the index loads whole (the %s one), recovery clears the debris, and the next ingest keeps an intact index',
    async (step, expected) => {
      const indexDir = join(temporaryDir(), 'index');
      const old = await ingest(CORPUS_DIR, indexDir);
      const source = temporaryDir();
      cpSync(CORPUS_DIR, source, { recursive: true });
      writeFileSync(join(source, 'added.txt'), 'The Hanbit reactor was commissioned in 1986 near Yeonggwang.');

      ingestKilledAt(source, indexDir, step);

      const after = await documentIds(indexDir);
      if (expected === 'old') {
        expect(after).toEqual({ generation: old.generation, ids: ['south-korea-physical-ai.txt'] });
      } else {
        expect(after.generation).not.toBe(old.generation);
        expect(after.ids).toEqual(['added.txt', 'south-korea-physical-ai.txt']);
      }
      await recoverIndex(indexDir);
      expect(readdirSync(indexDir).filter((name) => name.startsWith('.'))).toEqual([]);

      // The next ingest commits, and removes nothing the index in use needs.
      const next = await ingest(source, indexDir);
      expect(await readCurrentGeneration(indexDir)).toBe(next.generation);
      expect((await documentIds(indexDir)).ids).toEqual(['added.txt', 'south-korea-physical-ai.txt']);
      const generations = readdirSync(indexDir).filter(isGenerationName);
      expect(generations).toContain(after.generation); // the one it replaced stays, as a fallback
      expect(generations.length).toBeLessThanOrEqual(2);
      expect(readdirSync(indexDir)).toContain(CURRENT_FILE);
    },
  );
});

describe('recoverIndex', () => {
  it('removes the scratch of dead processes only: live ones, and recent ones of another host, stay', async () => {
    const indexDir = temporaryDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const names = {
      deadStaging: `.staging-${dead}-${HOST_TAG}-0a0b0c0d`,
      deadPointer: `.CURRENT.${dead}-${HOST_TAG}-0a0b0c0e`,
      liveLoading: `.loading-${process.pid}-${HOST_TAG}-0a0b0c0f`,
      foreignRecent: `.staging-${dead}-ffffffff-0a0b0c10`,
      foreignOld: `.staging-${dead}-fffffffe-0a0b0c11`,
    };
    for (const name of Object.values(names)) mkdirSync(join(indexDir, name));
    const dayAndMore = (Date.now() - 25 * 60 * 60 * 1000) / 1000;
    utimesSync(join(indexDir, names.foreignOld), dayAndMore, dayAndMore);
    expect((await recoverIndex(indexDir)).sort()).toEqual([names.deadPointer, names.deadStaging, names.foreignOld].sort());
    expect(readdirSync(indexDir).sort()).toEqual([names.foreignRecent, names.liveLoading].sort());
  });
});

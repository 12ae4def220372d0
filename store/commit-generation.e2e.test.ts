import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

/** A copy of the index folder as it is now, without CURRENT: which generation would a start fall back to? */
async function fallbackWithoutCurrent(indexDir: string): Promise<string> {
  const copy = join(temporaryDir(), 'index');
  cpSync(indexDir, copy, { recursive: true });
  rmSync(join(copy, CURRENT_FILE));
  return (await loadIndex(copy, LOCAL_IDENTITY, { fallBack: true })).generation;
}

/** Flips a few bytes of a file, keeping its size: only its checksum can tell. */
function flipBytes(file: string): void {
  const bytes = readFileSync(file);
  for (const at of [1, Math.floor(bytes.length / 2), bytes.length - 2]) bytes[at] ^= 0x5a;
  writeFileSync(file, bytes);
}

const documentIds = async (indexDir: string) => {
  const { index, generation } = await loadIndex(indexDir, LOCAL_IDENTITY);
  return { generation, ids: (await index.listDocuments()).map((d) => d.docId) };
};

describe('commitGeneration under kill -9', () => {
  // The step, the generation CURRENT then names, and the one a start falls back to if CURRENT is then lost
  // before (and after) a recovery: only a generation known to be committed is ever a candidate.
  const steps: [CommitStep, 'old' | 'new', 'old' | 'new', 'old' | 'new'][] = [
    ['generation-written', 'old', 'old', 'old'],
    ['generation-renamed', 'old', 'old', 'old'],
    ['pointer-written', 'old', 'old', 'old'],
    // CURRENT names the new one, not yet marked committed: the next start or ingest marks it.
    ['pointer-swapped', 'new', 'old', 'new'],
    ['generation-marked', 'new', 'new', 'new'],
    ['pruned', 'new', 'new', 'new'],
  ];
  it.each(steps)(
    'killed at %s, the index loads whole (the %s one), falls back only to a committed one, recovery clears the debris, and the next ingest keeps an intact index',
    async (step, expected, withoutCurrent, withoutCurrentRecovered) => {
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
      const generationOf = (which: 'old' | 'new') => (which === 'old' ? old.generation : after.generation);
      expect(await fallbackWithoutCurrent(indexDir)).toBe(generationOf(withoutCurrent));
      await recoverIndex(indexDir);
      expect(readdirSync(indexDir).filter((name) => name.startsWith('.'))).toEqual([]);
      expect(await fallbackWithoutCurrent(indexDir)).toBe(generationOf(withoutCurrentRecovered));

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

describe('start-up fallback after an ingest killed before its commit', () => {
  it.each(['generation-renamed', 'pointer-written'] as const)(
    'killed at %s, the generation it left is never served: a start falls back to committed generations only',
    async (step) => {
      const indexDir = join(temporaryDir(), 'index');
      const first = await ingest(CORPUS_DIR, indexDir);
      const source = temporaryDir();
      cpSync(CORPUS_DIR, source, { recursive: true });
      writeFileSync(join(source, 'added.txt'), 'The Vega depot opens at 9am on weekdays.');
      const second = await ingest(source, indexDir);
      writeFileSync(join(source, 'uncommitted.txt'), 'This document was never committed.');
      ingestKilledAt(source, indexDir, step);
      const uncommitted = readdirSync(indexDir).filter((name) => isGenerationName(name) && name > second.generation);
      expect(uncommitted).toHaveLength(1);

      // The generation in use damaged: the older committed one, not the uncommitted one.
      const damaged = join(temporaryDir(), 'index');
      cpSync(indexDir, damaged, { recursive: true });
      flipBytes(join(damaged, second.generation, 'vectors.f32'));
      const loaded = await loadIndex(damaged, LOCAL_IDENTITY, { fallBack: true });
      expect(loaded.generation).toBe(first.generation);
      expect(loaded.fellBackFrom?.generation).toBe(second.generation);
      expect(readdirSync(damaged)).toContain(uncommitted[0]);

      // CURRENT lost: the newest committed generation, not the newer one the killed ingest wrote.
      expect(await fallbackWithoutCurrent(indexDir)).toBe(second.generation);

      // No committed generation intact: a refusal, naming the uncommitted one and how to serve it by hand.
      flipBytes(join(damaged, first.generation, 'vectors.f32'));
      rmSync(join(damaged, CURRENT_FILE));
      await expect(loadIndex(damaged, LOCAL_IDENTITY, { fallBack: true })).rejects.toThrow(
        new RegExp(`no committed generation of it is intact \\(kept, never served: ${uncommitted[0]}, .*write its name into CURRENT\\)`),
      );
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

import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { CURRENT_FILE, isGenerationName, readCurrentGeneration } from './index-layout.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };
const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });
const generationsIn = (indexDir: string) => readdirSync(indexDir).filter(isGenerationName).sort();

describe('commitGeneration prunes only what the new generation replaced', () => {
  // Three ingests: a healthy commit keeps the generation it replaced, and removes the one before it.
  const pristine = join(temporaryDir(), 'index');
  let kept: string[];
  beforeAll(async () => {
    const first = (await ingest(CORPUS_DIR, pristine)).generation;
    const second = (await ingest(CORPUS_DIR, pristine)).generation;
    const third = (await ingest(CORPUS_DIR, pristine)).generation;
    kept = generationsIn(pristine);
    expect(kept).toEqual([second, third]);
    expect(kept).not.toContain(first);
  });

  function copyOfIndex(): string {
    const indexDir = join(temporaryDir(), 'index');
    cpSync(pristine, indexDir, { recursive: true });
    return indexDir;
  }

  const damages: [string, (indexDir: string) => void][] = [
    ['CURRENT is missing', (indexDir) => rmSync(join(indexDir, CURRENT_FILE))],
    [
      'CURRENT names a generation that does not exist',
      (indexDir) => writeFileSync(join(indexDir, CURRENT_FILE), 'g-20200101T000000000Z-abcdef\n'),
    ],
    ['CURRENT holds garbage', (indexDir) => writeFileSync(join(indexDir, CURRENT_FILE), '\u0000\u00ff')],
    ['the current generation has no manifest', (indexDir) => rmSync(join(indexDir, kept[1], 'manifest.json'))],
  ];
  it.each(damages)('when %s, an ingest commits a new generation and removes none', async (_, damage) => {
    const indexDir = copyOfIndex();
    damage(indexDir);
    const next = (await ingest(CORPUS_DIR, indexDir)).generation;
    expect(await readCurrentGeneration(indexDir)).toBe(next);
    expect(generationsIn(indexDir)).toEqual([...kept, next]);
  });
});

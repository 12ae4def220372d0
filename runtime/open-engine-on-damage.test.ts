import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { HOST_TAG, isGenerationName } from '../store/index-layout.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, TEST_WORD_VECTORS } from '../test/paths.js';
import { openEngine } from './open-engine.js';

const config = loadConfig({ WORD_VECTORS_CACHE: TEST_WORD_VECTORS, CHUNK_SIZE: '400', CHUNK_OVERLAP: '80' });
const chunking = { chunkSize: 400, chunkOverlap: 80 };
const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });

/** Every entry of an index folder, with the files of each generation: what must survive a start on a damaged index. */
function contentsOf(indexDir: string): string[] {
  return readdirSync(indexDir, { recursive: true, encoding: 'utf8' }).sort();
}

/** Flips a few bytes of a file, keeping its size: only its checksum can tell. */
function flipBytes(file: string): void {
  const bytes = readFileSync(file);
  for (const at of [1, Math.floor(bytes.length / 2), bytes.length - 2]) bytes[at] ^= 0x5a;
  writeFileSync(file, bytes);
}

/** Starts the engine the way `npm start` does (the bundled sample as the folder to build when there is no index). */
async function start(indexDir: string) {
  const lines: string[] = [];
  const engine = await openEngine(config, indexDir, { ingestIfMissing: CORPUS_DIR, log: (line) => lines.push(line) });
  const documents = (await engine.sources()).map((d) => d.docId);
  return { generation: engine.generation, documents, log: lines.join('\n') };
}

describe('openEngine on a damaged index folder', () => {
  // Two committed generations: the older of the sample alone, the newer with one document more.
  const pristine = join(temporaryDir(), 'index');
  let older: string;
  let newer: string;
  beforeAll(async () => {
    older = (await ingest(CORPUS_DIR, pristine)).generation;
    const source = temporaryDir();
    cpSync(CORPUS_DIR, source, { recursive: true });
    writeFileSync(join(source, 'added.txt'), 'The Vega depot opens at 9am on weekdays.');
    newer = (await ingest(source, pristine)).generation;
  });

  /** A copy of the two-generation index to damage. */
  function copyOfIndex(): string {
    const indexDir = join(temporaryDir(), 'index');
    cpSync(pristine, indexDir, { recursive: true });
    return indexDir;
  }

  it('without CURRENT, serves the newest committed generation with a warning, and keeps every generation', async () => {
    const indexDir = copyOfIndex();
    rmSync(join(indexDir, 'CURRENT'));
    const before = contentsOf(indexDir);
    const started = await start(indexDir);
    expect(started.generation).toBe(newer);
    expect(started.documents).toEqual(['added.txt', 'south-korea-physical-ai.txt']);
    expect(started.log).toMatch(
      /^WARNING: The index at .* is damaged \(CURRENT is missing, but the folder holds 2 generations\)\. Serving the newest intact committed generation g-\S+ instead, until an ingest commits a new one \(npm run ingest -- <documents folder>\); no generation was removed\.$/m,
    );
    expect(started.log).not.toMatch(/building it from/);
    expect(contentsOf(indexDir)).toEqual(before);
  });

  it('with CURRENT naming a generation that does not exist (one changed character), serves the newest committed one', async () => {
    const indexDir = copyOfIndex();
    const dangling = newer.slice(0, -1) + (newer.endsWith('0') ? '1' : '0');
    writeFileSync(join(indexDir, 'CURRENT'), `${dangling}\n`);
    const before = contentsOf(indexDir);
    const started = await start(indexDir);
    expect(started.generation).toBe(newer);
    expect(started.log).toMatch(new RegExp(`WARNING: .*CURRENT names ${dangling}, which does not exist`));
    expect(contentsOf(indexDir)).toEqual(before);
  });

  it('with CURRENT holding garbage, serves the newest committed generation', async () => {
    const indexDir = copyOfIndex();
    writeFileSync(join(indexDir, 'CURRENT'), Buffer.from([0x67, 0x2d, 0x00, 0xff, 0x0a]));
    const before = contentsOf(indexDir);
    const started = await start(indexDir);
    expect(started.generation).toBe(newer);
    expect(started.log).toMatch(/WARNING: .*does not name a generation/);
    expect(contentsOf(indexDir)).toEqual(before);
  });

  it('with the current generation missing its manifest, serves the older committed one and deletes nothing', async () => {
    const indexDir = copyOfIndex();
    rmSync(join(indexDir, newer, 'manifest.json'));
    const before = contentsOf(indexDir);
    const started = await start(indexDir);
    expect(started.generation).toBe(older);
    expect(started.documents).toEqual(['south-korea-physical-ai.txt']);
    expect(started.log).toMatch(
      new RegExp(`WARNING: The index at .*${newer} is damaged \\(it has no manifest\\.json\\)\\. Serving .* ${older} instead`),
    );
    expect(contentsOf(indexDir)).toEqual(before);
  });

  it('refuses with the rebuild command when no committed generation is intact, and deletes nothing', async () => {
    const indexDir = copyOfIndex();
    rmSync(join(indexDir, 'CURRENT'));
    for (const generation of [older, newer]) flipBytes(join(indexDir, generation, 'vectors.f32'));
    const before = contentsOf(indexDir);
    await expect(start(indexDir)).rejects.toThrow(/CURRENT is missing.*no committed generation of it is intact.*npm run ingest -- /);
    expect(contentsOf(indexDir)).toEqual(before);
  });

  it('builds the sample into a folder holding only what a dead ingest left (empty once recovered)', async () => {
    const indexDir = join(temporaryDir(), 'index');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(join(indexDir, `.staging-${dead}-${HOST_TAG}-0a0b0c0d`), { recursive: true });
    writeFileSync(join(indexDir, `.staging-${dead}-${HOST_TAG}-0a0b0c0d`, 'texts.bin'), 'half written');
    writeFileSync(join(indexDir, `.CURRENT.${dead}-${HOST_TAG}-0a0b0c0e`), 'g-');
    const started = await start(indexDir);
    expect(started.log).toMatch(/No index at .*: building it from .*corpus/);
    expect(started.documents).toEqual(['south-korea-physical-ai.txt']);
    expect(readdirSync(indexDir).filter((name) => !isGenerationName(name))).toEqual(['CURRENT']);
  });
});

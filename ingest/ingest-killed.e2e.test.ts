import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../store/index-files.js';
import { loadSearchIndex } from '../store/load-index.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, ROOT, TEST_WORD_VECTORS } from '../test/paths.js';
import { ingestDocuments } from './ingest-documents.js';

const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({
    sourceDir,
    indexDir,
    embeddings: localEmbeddings(),
    embedder: LOCAL_IDENTITY,
    chunking: { chunkSize: 400, chunkOverlap: 80 },
  });

describe('an ingest process killed mid-way', () => {
  it('leaves the previous index loadable when the ingest process is killed mid-way', async () => {
    const source = temporaryDir();
    for (let i = 0; i < 60; i++) writeFileSync(join(source, `doc-${i}.txt`), `Document ${i} about turbines and harbours. `.repeat(300));
    const indexDir = join(temporaryDir(), 'index');
    await ingest(CORPUS_DIR, indexDir);
    const before = await readManifest(indexDir);

    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'ingest/main.ts'), source, '--out', indexDir], {
      cwd: ROOT,
      env: { ...process.env, ENV_FILE: 'none', WORD_VECTORS_CACHE: TEST_WORD_VECTORS, CHUNK_SIZE: '200', CHUNK_OVERLAP: '20' },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 20_000;
    while (!readdirSync(indexDir).some((name) => name.includes('staging')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));

    expect(await readManifest(indexDir)).toEqual(before);
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    expect((await index.listDocuments()).map((d) => d.docId)).toEqual(['south-korea-physical-ai.txt']);
    // The next ingest clears the dead run's staging folder and completes.
    await ingest(CORPUS_DIR, indexDir);
    expect(readdirSync(indexDir).filter((name) => name.includes('staging'))).toEqual([]);
  });
});

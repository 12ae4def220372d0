import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { IndexCorruptError } from './index-corrupt-error.js';
import { RecordingEmbeddings } from '../test/fakes/recording-embeddings.js';
import { checksumTree } from './index-checksums.js';
import { currentGenerationDir, readManifest } from './index-files.js';
import { IndexMismatchError } from './index-mismatch-error.js';
import { loadIndex, loadSearchIndex } from './load-index.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };
const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });
const load = (indexDir: string) => loadSearchIndex(indexDir, LOCAL_IDENTITY);

let pristine: string;
beforeAll(async () => {
  pristine = join(temporaryDir(), 'index');
  await ingest(CORPUS_DIR, pristine);
});

/** A copy of the corpus's index, built once for the file: each test damages its own copy. */
async function freshIndex(): Promise<string> {
  const indexDir = join(temporaryDir(), 'index');
  cpSync(pristine, indexDir, { recursive: true });
  return indexDir;
}

/** Flips `count` bytes spread over the file, keeping its size. */
function flipBytes(file: string, count: number): void {
  const bytes = readFileSync(file);
  for (let i = 0; i < count; i++) bytes[Math.floor(((i + 0.5) * bytes.length) / count)] ^= 0x5a;
  writeFileSync(file, bytes);
}

describe('index integrity', () => {
  it('records the size and SHA-256 of every index file in the manifest', async () => {
    const manifest = await readManifest(await freshIndex());
    expect(Object.keys(manifest.files!).sort()).toEqual([
      'block-offsets.bin',
      'blocks.jsonl',
      'chunk-blocks.bin',
      'chunks.bin',
      'dense.hnsw',
      'documents.json',
      'lexical.bin',
      'text-index.bin',
      'texts.bin',
      'vectors.f32',
    ]);
    for (const file of Object.values(manifest.files!)) expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses an HNSW file with flipped bytes before hnswlib reads it, instead of crashing on a search', async () => {
    const indexDir = await freshIndex();
    flipBytes(join(await currentGenerationDir(indexDir), 'dense.hnsw'), 100);
    const loading = load(indexDir);
    await expect(loading).rejects.toThrow(IndexCorruptError);
    await expect(load(indexDir)).rejects.toThrow(/dense\.hnsw does not match its checksum.*npm run ingest/);
  });

  it('refuses edited texts or documents.json, so no citation is verified against altered text', async () => {
    const indexDir = await freshIndex();
    const texts = join(await currentGenerationDir(indexDir), 'texts.bin');
    const original = readFileSync(texts);
    // Same length: only the checksum can tell.
    writeFileSync(texts, original.toString('utf8').replace('Samsung', 'Sumsang'));
    await expect(load(indexDir)).rejects.toThrow(/texts\.bin does not match its checksum/);
    writeFileSync(texts, original);
    const documents = join(await currentGenerationDir(indexDir), 'documents.json');
    writeFileSync(documents, readFileSync(documents, 'utf8').replace('"title":"', '"title":"X'));
    await expect(load(indexDir)).rejects.toThrow(/documents\.json is \d+ bytes, the manifest says/);
  });

  it('refuses a file that is missing, truncated or not listed in the manifest', async () => {
    const indexDir = await freshIndex();
    const dir = await currentGenerationDir(indexDir);
    writeFileSync(join(dir, 'chunks.bin'), '[]');
    await expect(load(indexDir)).rejects.toThrow(/chunks\.bin is 2 bytes, the manifest says/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    delete manifest.files['chunks.bin'];
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await expect(load(indexDir)).rejects.toThrow(/chunks\.bin has no checksum in the manifest/);
  });

  it('at start-up falls back to the previous intact generation when the one in use is damaged, and says so', async () => {
    const indexDir = await freshIndex();
    const source = temporaryDir();
    cpSync(CORPUS_DIR, source, { recursive: true });
    writeFileSync(join(source, 'added.txt'), 'The Vega depot opens at 9am.');
    const previous = (await loadIndex(indexDir, LOCAL_IDENTITY)).generation;
    const current = (await ingest(source, indexDir)).generation;
    flipBytes(join(indexDir, current, 'vectors.f32'), 3);
    await expect(loadIndex(indexDir, LOCAL_IDENTITY)).rejects.toThrow(IndexCorruptError);
    const loaded = await loadIndex(indexDir, LOCAL_IDENTITY, { fallBack: true });
    expect(loaded.generation).toBe(previous);
    expect(loaded.fellBackFrom).toEqual({ generation: current, reason: expect.stringMatching(/vectors\.f32 does not match its checksum/) });
  });

  it('refuses an index of the layout before checksums, and an ingest replaces it', async () => {
    const indexDir = join(temporaryDir(), 'index');
    mkdirSync(indexDir);
    writeFileSync(
      join(indexDir, 'manifest.json'),
      JSON.stringify({
        formatVersion: 1,
        embedder: LOCAL_IDENTITY,
        chunking,
        documents: [],
        counts: { documents: 0, chunks: 0 },
        createdAt: '2026-01-01T00:00:00.000Z',
      }),
    );
    writeFileSync(join(indexDir, 'documents.json'), '[]');
    await expect(load(indexDir)).rejects.toThrow(IndexMismatchError);
    await expect(load(indexDir)).rejects.toThrow(/format 1 \(an earlier version\); this version reads format 5.*npm run ingest/);
    await ingest(CORPUS_DIR, indexDir);
    expect(existsSync(join(indexDir, 'documents.json'))).toBe(false);
    expect(readdirSync(indexDir).sort()).toEqual(['CURRENT', expect.stringMatching(/^g-/)]);
    expect(await (await load(indexDir)).listDocuments()).toHaveLength(1);
  });
});

describe('indexes written before documents had URLs', () => {
  it('load, each document without a URL (a file), and are re-ingested without embedding again', async () => {
    const indexDir = await freshIndex();
    const dir = await currentGenerationDir(indexDir);
    // As format 4 wrote them before crawling: no "url" in documents.json or the manifest.
    const rows = JSON.parse(readFileSync(join(dir, 'documents.json'), 'utf8')) as Record<string, unknown>[];
    writeFileSync(join(dir, 'documents.json'), JSON.stringify(rows.map(({ url, ...row }) => row)));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      documents: Record<string, unknown>[];
      files: object;
    };
    const files = await checksumTree(dir, ['manifest.json']);
    const documents = manifest.documents.map(({ url, ...document }) => document);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, documents, files }));

    const index = await load(indexDir);
    expect((await index.listDocuments()).map((document) => document.url)).toEqual([null]);
    expect((await index.getSummary('south-korea-physical-ai.txt'))?.url).toBeNull();
    const embeddings = new RecordingEmbeddings(localEmbeddings());
    await ingestDocuments({ sourceDir: CORPUS_DIR, indexDir, embeddings, embedder: LOCAL_IDENTITY, chunking });
    expect(embeddings.embeddedDocuments).toEqual([]);
  });
});

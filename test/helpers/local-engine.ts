import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerDependencies } from '../../core/answer-question.js';
import { LocalWordEmbeddings } from '../../embeddings/local-word-embeddings.js';
import { loadWordVectors } from '../../embeddings/word-vectors.js';
import { ingestDocuments } from '../../ingest/ingest-documents.js';
import { loadSearchIndex } from '../../store/index-files.js';
import type { SearchIndex } from '../../store/search-index.js';
import { TEST_WORD_VECTORS } from '../paths.js';

let shared: LocalWordEmbeddings | undefined;

/** The real local embedder, loaded once per test worker. */
export function localEmbeddings(): LocalWordEmbeddings {
  shared ??= new LocalWordEmbeddings(loadWordVectors(TEST_WORD_VECTORS));
  return shared;
}

export const LOCAL_IDENTITY = { name: LocalWordEmbeddings.embedderName, dimensions: 100 };

/** A fresh temporary folder. */
export function temporaryDir(prefix = 'verbatim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Ingests `sourceDir` into a new temporary index with the local embedder and loads it. */
export async function buildLocalIndex(sourceDir: string, chunking = { chunkSize: 1000, chunkOverlap: 200 }): Promise<SearchIndex> {
  const indexDir = join(temporaryDir(), 'index');
  const embeddings = localEmbeddings();
  await ingestDocuments({ sourceDir, indexDir, embeddings, embedder: LOCAL_IDENTITY, chunking });
  return loadSearchIndex(indexDir, embeddings, LOCAL_IDENTITY);
}

/** Answer-pipeline dependencies over a local index, extractive by default. */
export function localDependencies(index: SearchIndex, overrides: Partial<AnswerDependencies> = {}): AnswerDependencies {
  const embeddings = localEmbeddings();
  return {
    index,
    embeddings,
    embedSync: (text) => embeddings.embedText(text),
    defaultMode: 'extractive',
    topK: 5,
    denseWeight: 0,
    ...overrides,
  };
}

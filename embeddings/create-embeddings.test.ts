import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { IndexMismatchError } from '../store/index-mismatch-error.js';
import { loadSearchIndex } from '../store/load-index.js';
import { FakeOpenAIServer } from '../test/fakes/fake-openai-server.js';
import { LOCAL_IDENTITY, temporaryDir } from '../test/helpers/local-engine.js';
import { FIXTURE_DOCS } from '../test/paths.js';
import { createEmbeddings } from './create-embeddings.js';

const server = new FakeOpenAIServer();
let baseURL: string;
beforeAll(async () => {
  baseURL = await server.start();
});
afterAll(() => server.stop());

describe('createEmbeddings with EMBEDDINGS=openai (OpenAI-compatible server on loopback)', () => {
  it('identifies the embedder by model and measured dimensions, and indexes with it', async () => {
    const config = loadConfig({ EMBEDDINGS: 'openai', OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'sk-test', EMBEDDING_MODEL: 'embed-test' });
    const setup = await createEmbeddings(config, () => undefined);
    expect(setup.identity).toEqual({ name: 'openai:embed-test', dimensions: 8 });
    expect(setup.embedSync).toBeUndefined();

    const indexDir = join(temporaryDir(), 'index');
    const summary = await ingestDocuments({
      sourceDir: FIXTURE_DOCS,
      indexDir,
      embeddings: setup.embeddings,
      embedder: setup.identity,
      chunking: { chunkSize: 500, chunkOverlap: 50 },
    });
    expect(summary.documents).toBe(4);
    const embeddingCalls = server.requests.filter((r) => r.path.endsWith('/embeddings'));
    expect(embeddingCalls.at(-1)!.body).toMatchObject({ model: 'embed-test', encoding_format: 'base64' });

    const index = await loadSearchIndex(indexDir, setup.identity);
    const [first] = await index.getChunks([index.chunkIdAt(0)]);
    const [nearest] = await index.searchDense(await setup.embeddings.embedQuery(first.text), 1);
    expect(nearest.chunkId).toBe(first.chunkId);
    expect(nearest.score).toBeCloseTo(1, 5);
    await expect(loadSearchIndex(indexDir, LOCAL_IDENTITY)).rejects.toThrow(IndexMismatchError);
  });
});

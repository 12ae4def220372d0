import { describe, expect, it } from 'vitest';
import { createSearchIndex } from '../store/search-index.js';
import { LOCAL_IDENTITY, localEmbeddings } from '../test/helpers/local-engine.js';
import { retrievePassages } from './retrieve-passages.js';
import type { Chunk } from './types.js';

async function indexOf(texts: string[]) {
  const chunks: Chunk[] = texts.map((text, i) => ({ chunkId: `d${i}#0`, docId: `d${i}`, start: 0, end: text.length, text }));
  const embeddings = localEmbeddings();
  const vectors = new Float32Array(texts.length * 100);
  (await embeddings.embedDocuments(texts)).forEach((row, i) => vectors.set(row, i * 100));
  const documents = texts.map((text, i) => ({ docId: `d${i}`, title: `d${i}`, text, hash: '' }));
  return createSearchIndex({ embedder: LOCAL_IDENTITY, documents, chunks, vectors }, embeddings);
}

describe('retrievePassages', () => {
  it('ranks by BM25 over stems, so word forms match', async () => {
    const index = await indexOf(['The turbines were installed in Bergen.', 'A harbour with moorings.', 'Tides arrive early.']);
    const [first] = await retrievePassages(index, localEmbeddings(), 'Where was the turbine installed?', { k: 3, denseWeight: 0 });
    expect(first.docId).toBe('d0');
  });

  it('fills up to k with the closest passages by meaning when few chunks share a word', async () => {
    const index = await indexOf(['The cat sat on the mat.', 'Kittens play with yarn.', 'Stock markets fell sharply.']);
    const passages = await retrievePassages(index, localEmbeddings(), 'feline pets', { k: 2, denseWeight: 0 });
    expect(passages).toHaveLength(2);
  });

  it('in a large index, still finds chunks for a query made only of words common to most chunks', async () => {
    const texts = Array.from({ length: 1200 }, (_, i) => `Report ${i} about the harbour and its tides. ${i === 700 ? 'The lighthouse keeper is Mara Quinn.' : ''}`);
    const index = await indexOf(texts);
    const rare = await retrievePassages(index, localEmbeddings(), 'harbour tides lighthouse keeper', { k: 3, denseWeight: 0 });
    expect(rare[0].docId).toBe('d700');
    const common = await retrievePassages(index, localEmbeddings(), 'harbour tides', { k: 3, denseWeight: 0 });
    expect(common).toHaveLength(3);
  });
});

import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { describe, expect, it } from 'vitest';
import { createSearchIndex } from '../../store/search-index.js';
import { HashingEmbeddings } from '../../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../../test/fakes/in-memory-passage-store.js';
import { LOCAL_IDENTITY, localEmbeddings } from '../../test/helpers/local-engine.js';
import { plainDocument } from '../../test/helpers/stored-document.js';
import type { PassageStore } from '../contracts/passage-store.js';
import { retrievePassages } from './retrieve-passages.js';
import type { Chunk } from '../contracts/types.js';

/** One single-chunk document per text. */
function corpus(texts: string[]) {
  const chunks: Chunk[] = texts.map((text, i) => ({ chunkId: `d${i}#0`, docId: `d${i}`, start: 0, end: text.length, text }));
  const documents = texts.map((text, i) => plainDocument(`d${i}`, text));
  return { chunks, documents };
}

/** The same retrieval tests over the real local store and over the in-memory fake. */
const stores: [string, EmbeddingsInterface, (texts: string[]) => Promise<PassageStore>][] = [
  [
    'local hnswlib + BM25 store',
    localEmbeddings(),
    async (texts) => {
      const vectors = new Float32Array(texts.length * 100);
      (await localEmbeddings().embedDocuments(texts)).forEach((row, i) => vectors.set(row, i * 100));
      return createSearchIndex({ embedder: LOCAL_IDENTITY, ...corpus(texts), vectors });
    },
  ],
  [
    'in-memory fake store',
    new HashingEmbeddings(),
    async (texts) => {
      const { chunks, documents } = corpus(texts);
      const hashing = new HashingEmbeddings();
      const vectors = new Map(chunks.map((c) => [c.chunkId, Float32Array.from(hashing.embedText(c.text))]));
      return new InMemoryPassageStore(HashingEmbeddings.identity, documents, chunks, vectors);
    },
  ],
];

describe.each(stores)('retrievePassages over the %s', (_name, embeddings, storeOf) => {
  it('ranks by BM25 over stems, so word forms match', async () => {
    const store = await storeOf(['The turbines were installed in Bergen.', 'A harbour with moorings.', 'Tides arrive early.']);
    const [first] = await retrievePassages(store, embeddings, 'Where was the turbine installed?', { k: 3, denseWeight: 0 });
    expect(first).toMatchObject({ docId: 'd0', title: 'd0', start: 0, text: 'The turbines were installed in Bergen.' });
  });

  it('fills up to k with the closest passages by meaning when few chunks share a word', async () => {
    const store = await storeOf(['The cat sat on the mat.', 'Kittens play with yarn.', 'Stock markets fell sharply.']);
    const passages = await retrievePassages(store, embeddings, 'feline pets', { k: 2, denseWeight: 0 });
    expect(passages).toHaveLength(2);
  });

  it('breaks score ties by document order, whatever order the store returns them in', async () => {
    const store = await storeOf(['Harbour report.', 'Harbour report.', 'Harbour report.']);
    const reversed: PassageStore = Object.assign(Object.create(store) as PassageStore, {
      searchLexical: async (...args: Parameters<PassageStore['searchLexical']>) => (await store.searchLexical(...args)).reverse(),
    });
    const passages = await retrievePassages(reversed, embeddings, 'harbour', { k: 3, denseWeight: 0 });
    expect(passages.map((p) => p.docId)).toEqual(['d0', 'd1', 'd2']);
  });

  it('in a large store, still finds chunks for a query made only of words common to most chunks', async () => {
    const texts = Array.from(
      { length: 1200 },
      (_, i) => `Report ${i} about the harbour and its tides. ${i === 700 ? 'The lighthouse keeper is Mara Quinn.' : ''}`,
    );
    const store = await storeOf(texts);
    const rare = await retrievePassages(store, embeddings, 'harbour tides lighthouse keeper', { k: 3, denseWeight: 0 });
    expect(rare[0].docId).toBe('d700');
    const common = await retrievePassages(store, embeddings, 'harbour tides', { k: 3, denseWeight: 0 });
    expect(common).toHaveLength(3);
  });
});

import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';

/** Wraps an embedder, recording every text it is asked to embed; can fail after N documents. */
export class RecordingEmbeddings extends Embeddings {
  readonly embeddedDocuments: string[] = [];
  readonly queries: string[] = [];

  constructor(
    private readonly inner: EmbeddingsInterface,
    private readonly failAfterDocuments = Infinity,
  ) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.embeddedDocuments.length + texts.length > this.failAfterDocuments) {
      throw new Error('embedding service failed (simulated)');
    }
    this.embeddedDocuments.push(...texts);
    return this.inner.embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<number[]> {
    this.queries.push(text);
    return this.inner.embedQuery(text);
  }
}

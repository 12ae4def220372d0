/**
 * The best `capacity` (chunk, score) pairs offered so far: a binary min-heap whose root is the
 * weakest kept pair (lowest score; on a tie, the later chunk, since earlier chunks win ties).
 */
export class TopScores {
  private readonly chunks: Uint32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.chunks = new Uint32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** The score a chunk must beat to be kept, once full. */
  get threshold(): number {
    return this.full ? this.scores[0] : -Infinity;
  }

  /** Keeps the pair if it is among the best so far; says whether it was kept. */
  offer(chunk: number, score: number): boolean {
    if (!this.full) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.weaker(chunk, score, parent)) break;
        this.chunks[i] = this.chunks[parent];
        this.scores[i] = this.scores[parent];
        i = parent;
      }
      this.chunks[i] = chunk;
      this.scores[i] = score;
      return true;
    }
    if (score < this.scores[0] || (score === this.scores[0] && chunk > this.chunks[0])) return false;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child = right < this.size && this.weakerAt(right, left) ? right : left;
      if (!this.weakerAt(child, -1, chunk, score)) break;
      this.chunks[i] = this.chunks[child];
      this.scores[i] = this.scores[child];
      i = child;
    }
    this.chunks[i] = chunk;
    this.scores[i] = score;
    return true;
  }

  /** Best first; ties by chunk position. */
  sorted(): { chunk: number; score: number }[] {
    const pairs = Array.from({ length: this.size }, (_, i) => ({ chunk: this.chunks[i], score: this.scores[i] }));
    return pairs.sort((a, b) => b.score - a.score || a.chunk - b.chunk);
  }

  /** Whether (chunk, score) is weaker than the pair at `i`. */
  private weaker(chunk: number, score: number, i: number): boolean {
    return score < this.scores[i] || (score === this.scores[i] && chunk > this.chunks[i]);
  }

  /** Whether the pair at `a` is weaker than the pair at `b` (or than (chunk, score) when b is -1). */
  private weakerAt(a: number, b: number, chunk = 0, score = 0): boolean {
    const otherScore = b < 0 ? score : this.scores[b];
    const otherChunk = b < 0 ? chunk : this.chunks[b];
    return this.scores[a] < otherScore || (this.scores[a] === otherScore && this.chunks[a] > otherChunk);
  }
}

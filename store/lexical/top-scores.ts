/**
 * The best `capacity` (chunk, score) pairs offered so far: a binary min-heap whose root is the
 * weakest kept pair (lowest score; on a tie, the higher tie key, since lower keys win ties).
 */
export class TopScores {
  private readonly chunks: Uint32Array;
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.chunks = new Uint32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** The score a chunk must beat to be kept, once full. */
  get threshold(): number {
    return this.full ? this.scores[0] : -Infinity;
  }

  /** Keeps the pair if it is among the best so far (a tie goes to the lower `tieKey`); says whether it was kept. */
  offer(chunk: number, score: number, tieKey = chunk): boolean {
    if (!this.full) {
      this.place(this.size++, chunk, score, tieKey);
      this.siftUp(this.size - 1);
      return true;
    }
    if (score < this.scores[0] || (score === this.scores[0] && tieKey > this.keys[0])) return false;
    this.place(0, chunk, score, tieKey);
    this.siftDown(0);
    return true;
  }

  /** Best first; ties by tie key. */
  sorted(): { chunk: number; score: number }[] {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => this.scores[b] - this.scores[a] || this.keys[a] - this.keys[b],
    );
    return order.map((i) => ({ chunk: this.chunks[i], score: this.scores[i] }));
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.weaker(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.size) return;
      const child = left + 1 < this.size && this.weaker(left + 1, left) ? left + 1 : left;
      if (!this.weaker(child, i)) return;
      this.swap(i, child);
      i = child;
    }
  }

  /** Whether the pair at `a` is weaker than the pair at `b`. */
  private weaker(a: number, b: number): boolean {
    return this.scores[a] < this.scores[b] || (this.scores[a] === this.scores[b] && this.keys[a] > this.keys[b]);
  }

  private place(i: number, chunk: number, score: number, tieKey: number): void {
    this.chunks[i] = chunk;
    this.scores[i] = score;
    this.keys[i] = tieKey;
  }

  private swap(a: number, b: number): void {
    const chunk = this.chunks[a];
    const score = this.scores[a];
    const key = this.keys[a];
    this.place(a, this.chunks[b], this.scores[b], this.keys[b]);
    this.place(b, chunk, score, key);
  }
}

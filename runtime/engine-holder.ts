import type { Engine, SourceText, TextRange } from '../core/engine.js';
import { IndexLoadingError } from '../core/contracts/index-loading-error.js';
import type { DocumentSummary } from '../core/contracts/passage-store.js';
import type { Answer, AnswerEvent, AnswerInput, AnswerMode, Passage } from '../core/contracts/types.js';

/**
 * The engine surfaces hold for the life of a server: it loads once, then swaps each newer
 * generation in whole (a request sees the old engine or the new one, never a mix). Until the
 * first load every method throws IndexLoadingError, which each wire maps once.
 */
export class EngineHolder implements Engine {
  private current: Engine | null = null;

  /** `onAnswer` is told each answer given through the holder, whichever surface asked (for /metrics). */
  constructor(private readonly onAnswer?: (answer: Answer) => void) {}

  /** Puts a loaded engine in place (the first, or a reload). */
  set(engine: Engine): void {
    this.current = engine;
  }

  /** Whether an engine has been loaded. */
  get ready(): boolean {
    return this.current !== null;
  }

  /** The loaded engine; IndexLoadingError before it is. */
  get loaded(): Engine {
    if (!this.current) throw new IndexLoadingError();
    return this.current;
  }

  get generation(): string | null {
    return this.current?.generation ?? null;
  }

  get defaultMode(): AnswerMode {
    return this.loaded.defaultMode;
  }

  get modes(): readonly AnswerMode[] {
    return this.loaded.modes;
  }

  async *answer(input: AnswerInput): AsyncGenerator<AnswerEvent> {
    // The engine of the moment the question arrives answers all of it, whatever reloads meanwhile.
    const engine = this.loaded;
    if (!this.onAnswer) return yield* engine.answer(input);
    for await (const event of engine.answer(input)) {
      if (event.type === 'done') this.onAnswer(event.answer);
      yield event;
    }
  }

  search(query: string, k: number): Promise<Passage[]> {
    return this.loaded.search(query, k);
  }

  sources(): Promise<DocumentSummary[]> {
    return this.loaded.sources();
  }

  source(docId: string, range: (characters: number) => TextRange): Promise<SourceText | undefined> {
    return this.loaded.source(docId, range);
  }

  size(): Promise<{ documents: number; chunks: number }> {
    return this.loaded.size();
  }
}

import { DEFAULT_COLLECTION } from '../config/collection-name.js';
import type { Engine } from '../core/engine.js';
import { IndexLoadingError } from '../core/contracts/index-loading-error.js';
import type { Answer, AnswerMode } from '../core/contracts/types.js';
import { generationTime } from '../store/index-layout.js';
import { CollectionForbiddenError } from './collection-forbidden-error.js';
import { CollectionUnavailableError } from './collection-unavailable-error.js';
import { EngineHolder } from './engine-holder.js';
import { UnknownCollectionError } from './unknown-collection-error.js';

/** What a caller may read (a scoped API key, a Slack channel), and who it is, for refusals. */
export interface CollectionScope {
  /** The collections it may read, in its order (the first is the one it reads when it names none); undefined: every one. */
  readonly collections?: readonly string[];
  /** Who is refused, for messages: `This API key`. */
  readonly who?: string;
}

/** Every collection: a server without keys, a key without a list, the terminal. */
export const EVERY_COLLECTION: CollectionScope = {};

/** Loading until its first generation is in; unavailable when it could not be loaded (until a new generation can). */
export type CollectionStatus = 'loading' | 'ready' | 'unavailable';

/** A collection's state, as /readyz reports it. */
export interface CollectionState {
  name: string;
  status: CollectionStatus;
  generation: string | null;
}

/** A collection as GET /v1/collections lists it. */
export interface CollectionSummary extends CollectionState {
  documents: number | null;
  chunks: number | null;
  /** When the generation answering was written (ISO 8601), when known. */
  updated: string | null;
}

interface Entry {
  engine: Engine;
  ready: () => boolean;
  unavailable: boolean;
}

/**
 * The engines of a server, one per collection, each in its own EngineHolder: each loads, reloads
 * its own generations and fails on its own. `resolve` is the one place that decides which engine a
 * request reads and whether its caller may read it; every surface only translates its wire shape
 * (a body field, a query parameter, a model id, a tool argument, a Slack channel) into a name.
 */
export class EngineRegistry {
  private readonly entries = new Map<string, Entry>();

  /** `onAnswer` is told each answer any collection gives (for /metrics). */
  constructor(names: readonly string[], onAnswer?: (collection: string, answer: Answer) => void) {
    for (const name of names) {
      const holder = new EngineHolder(onAnswer && ((answer) => onAnswer(name, answer)));
      this.entries.set(name, { engine: holder, ready: () => holder.ready, unavailable: false });
    }
  }

  /** One engine as the collection `default` (a server or test wired with a single engine). */
  static single(engine: Engine, ready: () => boolean = () => true): EngineRegistry {
    const registry = new EngineRegistry([]);
    registry.entries.set(DEFAULT_COLLECTION, { engine, ready, unavailable: false });
    return registry;
  }

  /** Every collection's name, `default` first when there is one. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The holder of a collection, for the code that loads it. */
  holder(name: string): EngineHolder {
    const engine = this.entry(name).engine;
    if (!(engine instanceof EngineHolder)) throw new Error(`the collection "${name}" is not loaded by this registry`);
    return engine;
  }

  /** Puts a loaded generation of a collection in place (the first, a reload, or a recovery). */
  set(name: string, engine: Engine): void {
    this.holder(name).set(engine);
    this.entry(name).unavailable = false;
  }

  /** Marks a collection that could not be loaded: refused by name, while the others answer. */
  markUnavailable(name: string): void {
    this.entry(name).unavailable = true;
  }

  /** The collections `scope` may read, in the registry's order. */
  readable(scope: CollectionScope = EVERY_COLLECTION): string[] {
    return this.names().filter((name) => !scope.collections || scope.collections.includes(name));
  }

  /** The collection a caller reads when it names none: the first of its list, or `default` for a caller without one. */
  defaultFor(scope: CollectionScope = EVERY_COLLECTION): string {
    if (scope.collections) return scope.collections[0] ?? DEFAULT_COLLECTION;
    return this.entries.has(DEFAULT_COLLECTION) ? DEFAULT_COLLECTION : (this.names()[0] ?? DEFAULT_COLLECTION);
  }

  /**
   * The engine of the collection `requested` (the caller's default when undefined), if `scope`
   * may read it. A caller limited to some collections is refused any other with
   * CollectionForbiddenError, whether it exists or not; UnknownCollectionError for a name the
   * server does not have; CollectionUnavailableError for one that could not be loaded. The
   * engine itself throws IndexLoadingError while it loads.
   */
  resolve(requested: string | undefined, scope: CollectionScope = EVERY_COLLECTION): Engine {
    const name = requested ?? this.defaultFor(scope);
    if (scope.collections && !scope.collections.includes(name)) {
      throw new CollectionForbiddenError(name, this.readable(scope), scope.who);
    }
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownCollectionError(name, this.readable(scope));
    if (entry.unavailable) throw new CollectionUnavailableError(name);
    return entry.engine;
  }

  /** The answer modes (the collections share one chat model): those of a loaded collection; IndexLoadingError before one is. */
  modes(): readonly AnswerMode[] {
    const loaded = this.states().find((state) => state.status === 'ready');
    if (!loaded) throw new IndexLoadingError();
    return this.entry(loaded.name).engine.modes;
  }

  /** Each collection's state. */
  states(): CollectionState[] {
    return this.names().map((name) => {
      const entry = this.entry(name);
      const status: CollectionStatus = entry.unavailable ? 'unavailable' : entry.ready() ? 'ready' : 'loading';
      return { name, status, generation: status === 'ready' ? entry.engine.generation : null };
    });
  }

  /** Whether no collection is still loading (each is ready or unavailable). */
  settled(): boolean {
    return this.states().every((state) => state.status !== 'loading');
  }

  /** The collections `scope` may read, with their size, generation and when it was written. */
  async describe(scope: CollectionScope = EVERY_COLLECTION): Promise<CollectionSummary[]> {
    const states = this.states().filter((state) => this.readable(scope).includes(state.name));
    return Promise.all(
      states.map(async (state) => {
        const size = state.status === 'ready' ? await this.entry(state.name).engine.size() : null;
        const created = state.generation ? generationTime(state.generation) : null;
        return { ...state, documents: size?.documents ?? null, chunks: size?.chunks ?? null, updated: created?.toISOString() ?? null };
      }),
    );
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new UnknownCollectionError(name, this.names());
    return entry;
  }
}

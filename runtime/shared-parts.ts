import type { Config } from '../config/load-config.js';
import type { ChatModel } from '../core/contracts/chat-model.js';
import { createEmbeddings, type EmbedderSetup } from '../embeddings/create-embeddings.js';
import { createChatModel } from './open-engine.js';

/**
 * The parts every collection of one process shares: one embedder per embedder setting (the local
 * word vectors cost about 200 MB; twenty collections must not load them twenty times) and one
 * chat model. A collection's memory is then its index alone, bounded as a single index is.
 */
export class SharedParts {
  private readonly embedders = new Map<string, Promise<EmbedderSetup>>();
  private chat: Promise<ChatModel | undefined> | undefined;

  constructor(private readonly log: (line: string) => void = console.error) {}

  /** The embedder `config` names, made once per distinct setting. */
  embedder(config: Config): Promise<EmbedderSetup> {
    const key = [config.EMBEDDINGS, config.WORD_VECTORS_CACHE, config.EMBEDDING_MODEL, config.OPENAI_BASE_URL ?? ''].join('\n');
    let made = this.embedders.get(key);
    if (!made) {
      made = createEmbeddings(config, this.log);
      // A failed setup (a model server out of reach) is tried again by the next collection or reload.
      made.catch(() => this.embedders.delete(key));
      this.embedders.set(key, made);
    }
    return made;
  }

  /** The chat model (settings are the server's, not a collection's), made once. */
  chatModel(config: Config): Promise<ChatModel | undefined> {
    this.chat ??= createChatModel(config);
    return this.chat;
  }
}

/** A message to a chat model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The narrow interface the core needs of a chat model: streamed text for messages. */
export interface ChatModel {
  name: string;
  streamChat(messages: ChatMessage[], options: { signal?: AbortSignal }): AsyncIterable<string>;
}

/** The model could not answer (after retries): timeouts, rate limits, server errors. */
export class ModelUnavailableError extends Error {
  readonly name = 'ModelUnavailableError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
  static isInstance(error: unknown): error is ModelUnavailableError {
    return error instanceof Error && error.name === 'ModelUnavailableError';
  }
}

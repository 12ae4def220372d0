/** A message to a chat model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The narrow interface the core needs of a chat model: streamed text for messages. A call that
 * fails for good (after retries) throws ModelUnavailableError (core/contracts/model-unavailable-error.ts).
 */
export interface ChatModel {
  name: string;
  streamChat(messages: ChatMessage[], options: { signal?: AbortSignal }): AsyncIterable<string>;
}

import type { ChatMessage, ChatModel } from '../../core/contracts/chat-model.js';

/** A chat model that streams a scripted reply (a function of the messages), a few characters at a time. */
export class ScriptedChatModel implements ChatModel {
  readonly name = 'scripted';
  readonly calls: ChatMessage[][] = [];

  constructor(private readonly reply: (messages: ChatMessage[]) => string) {}

  async *streamChat(messages: ChatMessage[]): AsyncGenerator<string> {
    this.calls.push(messages);
    const text = this.reply(messages);
    for (let i = 0; i < text.length; i += 5) yield text.slice(i, i + 5);
  }
}

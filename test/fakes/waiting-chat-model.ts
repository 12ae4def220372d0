import type { ChatModel } from '../../core/contracts/chat-model.js';

/** A chat model that never answers until aborted, recording that the abort reached it. */
export class WaitingChatModel implements ChatModel {
  readonly name = 'waiting';
  aborted = false;
  started = false;

  async *streamChat(_messages: unknown, { signal }: { signal?: AbortSignal }): AsyncGenerator<string> {
    this.started = true;
    await new Promise<void>((_resolve, reject) => {
      signal?.addEventListener(
        'abort',
        () => {
          this.aborted = true;
          reject(signal.reason);
        },
        { once: true },
      );
    });
    yield 'never';
  }
}

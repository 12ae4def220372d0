import type { AnswerEvent } from '../core/contracts/types.js';
import { estimateUsage, verbatimFields, type CompletionIdentity } from './render-chat-completion.js';
import type { SseMessage, StreamMapper } from './sse.js';

export interface ChatStreamOptions {
  identity: CompletionIdentity;
  /** `stream_options.include_usage`: a last chunk with `usage` and no choices, before `[DONE]`. */
  includeUsage: boolean;
  promptText: string;
}

/**
 * OpenAI's Chat Completions stream: `chat.completion.chunk` messages (a role chunk, content
 * deltas, a final chunk with `finish_reason` and the `verbatim` field), an optional usage chunk,
 * then `data: [DONE]`. A failure after the first chunk is OpenAI's `{error: {...}}` message.
 *
 * The streamed content adds up to the Answer's text: whitespace at a delta's end is held back
 * until more text follows (the Answer is trimmed), and `done` sends whatever the deltas lacked.
 * One exception: a generated answer abandoned mid-stream (the model failed, or cited nothing
 * verifiable) is replaced by the quoted one, and streamed text cannot be taken back; the content
 * then ends with the quoted answer, and the final chunk's `verbatim` (its `notice` says why) is
 * authoritative. Non-streaming responses hold only the final answer.
 */
export function openAIChatStream(options: ChatStreamOptions): StreamMapper<AnswerEvent> {
  const { identity, includeUsage } = options;
  let sent = '';
  let heldBack = '';
  let started = false;
  const chunkHeader = { id: identity.id, object: 'chat.completion.chunk', created: identity.created, model: identity.model };
  const chunk = (delta: Record<string, unknown>, finishReason: 'stop' | null = null): SseMessage => ({
    data: JSON.stringify({
      ...chunkHeader,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    }),
  });
  const content = (text: string): SseMessage[] => {
    sent += text;
    return text ? [chunk({ content: text })] : [];
  };

  return {
    map(event) {
      const messages: SseMessage[] = [];
      if (!started) {
        started = true;
        messages.push(chunk({ role: 'assistant', content: '' }));
      }
      if (event.type === 'text-delta') {
        const text = sent ? heldBack + event.text : event.text.trimStart();
        const body = text.trimEnd();
        heldBack = text.slice(body.length);
        messages.push(...content(body));
      } else if (event.type === 'done') {
        const { answer } = event.answer;
        messages.push(...content(missingContent(sent, answer)));
        messages.push(chunk({ verbatim: verbatimFields(event.answer) }, 'stop'));
        if (includeUsage) {
          const usage = estimateUsage(options.promptText, event.answer.answer);
          messages.push({ data: JSON.stringify({ ...chunkHeader, choices: [], usage }) });
        }
      }
      return messages;
    },
    // Requests are checked before the stream begins: what fails after is on the server's side.
    error: (error) => ({
      data: JSON.stringify({ error: { message: error.message, type: 'server_error', code: error.code, param: null } }),
    }),
    end: () => [{ data: '[DONE]' }],
  };
}

/**
 * What the client still lacks of the Answer's text after `sent`: the rest when the answer goes
 * on from it; nothing when the answer already came last (a quoted answer streamed after
 * abandoned generated text); otherwise the whole answer after a blank line.
 */
function missingContent(sent: string, answer: string): string {
  if (answer.startsWith(sent)) return answer.slice(sent.length);
  if (sent.endsWith(answer)) return '';
  return `\n\n${answer}`;
}

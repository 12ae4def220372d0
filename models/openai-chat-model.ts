import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import type { ChatMessage, ChatModel } from '../core/contracts/chat-model.js';
import { ModelUnavailableError } from '../core/contracts/model-unavailable-error.js';
import { ModelTimeoutError } from './model-timeout-error.js';

export interface OpenAIChatModelOptions {
  model: string;
  apiKey?: string;
  baseURL?: string;
  /** Longest wait for the first token, and between tokens, before the attempt is abandoned. */
  timeoutMs: number;
  maxRetries: number;
  /** First backoff delay; doubled on each retry. */
  retryDelayMs?: number;
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504]);

/**
 * A ChatModel over LangChain's ChatOpenAI (OpenAI, or any OpenAI-compatible server).
 * Retries are ours, not the client's, because they must stop once a token has been streamed:
 * a timeout, 429 or 5xx before the first token is retried with exponential backoff; anything
 * after it, or the last failure, surfaces as ModelUnavailableError. A stall between tokens
 * counts as a timeout, so a call never hangs; the caller's abort signal stops it at once.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const client = new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey ?? 'not-needed',
    temperature: 0,
    maxRetries: 0,
    streaming: true,
    configuration: options.baseURL ? { baseURL: options.baseURL } : undefined,
  });
  const retryDelayMs = options.retryDelayMs ?? 500;

  return {
    name: options.model,
    async *streamChat(messages, { signal }) {
      for (let attempt = 0; ; attempt++) {
        let streamed = false;
        try {
          for await (const token of streamOnce(client, messages, options.timeoutMs, signal)) {
            streamed = true;
            yield token;
          }
          return;
        } catch (error) {
          if (signal?.aborted) throw signal.reason ?? error;
          const status = statusOf(error);
          const retryable = !streamed && (status === undefined || RETRYABLE_STATUS.has(status));
          if (!retryable || attempt >= options.maxRetries) {
            throw new ModelUnavailableError(describe(error, status), status);
          }
          await sleep(retryDelayMs * 2 ** attempt, signal);
        }
      }
    },
  };
}

async function* streamOnce(client: ChatOpenAI, messages: ChatMessage[], timeoutMs: number, signal?: AbortSignal): AsyncGenerator<string> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new ModelTimeoutError(timeoutMs)), timeoutMs);
  };
  try {
    arm();
    const stream = await client.stream(messages.map(toLangChain), { signal: controller.signal });
    for await (const chunk of stream) {
      arm();
      const text = typeof chunk.content === 'string' ? chunk.content : '';
      if (text) yield text;
    }
  } catch (error) {
    if (ModelTimeoutError.isInstance(controller.signal.reason)) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function toLangChain(message: ChatMessage): BaseMessage {
  if (message.role === 'system') return new SystemMessage(message.content);
  if (message.role === 'assistant') return new AIMessage(message.content);
  return new HumanMessage(message.content);
}

function statusOf(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; response?: { status?: unknown } })?.status ??
    (error as { response?: { status?: unknown } })?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

function describe(error: unknown, status: number | undefined): string {
  if (ModelTimeoutError.isInstance(error)) return `timed out: ${error.message}`;
  if (status === 429) return 'rate limited by the model provider (429)';
  if (status !== undefined) return `the model provider answered ${status}`;
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

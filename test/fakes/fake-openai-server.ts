import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply to a chat completion request. */
export interface ChatReply {
  /** Answer with this HTTP status and an error body instead of text. */
  status?: number;
  /** The reply text (or a function of the request body), streamed in `chunkSize`-character pieces. */
  text?: string | ((body: Record<string, unknown>) => string);
  chunkSize?: number;
  /** Wait this long before the first byte. */
  delayMs?: number;
  /** Send this many chunks, then stall without ending the response. */
  stallAfterChunks?: number;
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

/**
 * An OpenAI-compatible server on loopback for tests: chat completions (streamed as SSE with a
 * final usage chunk and [DONE], or as JSON) from a queue of scripted replies, and deterministic
 * hash-based embeddings (base64 little-endian float32 when asked, as the OpenAI client does).
 */
export class FakeOpenAIServer {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: ChatReply[] = [];
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();
  defaultReply: ChatReply = { text: 'NOT_IN_SOURCES: no scripted reply' };
  embeddingDimensions = 8;

  /** Queues replies, used in order by the next chat requests. */
  reply(...replies: ChatReply[]): this {
    this.replies.push(...replies);
    return this;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    this.requests.push({ path: request.url ?? '', body });
    if (request.url?.endsWith('/embeddings')) return this.embeddings(body, response);
    if (request.url?.endsWith('/chat/completions')) return this.chat(body, response);
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
  }

  private embeddings(body: Record<string, unknown>, response: ServerResponse): void {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
    const data = inputs.map((input, index) => {
      const vector = hashVector(input, this.embeddingDimensions);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  }

  private async chat(body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const reply = this.replies.shift() ?? this.defaultReply;
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    if (reply.status && reply.status >= 400) {
      response.writeHead(reply.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'server_error' } }));
      return;
    }
    const text = typeof reply.text === 'function' ? reply.text(body) : (reply.text ?? '');
    const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: body.model };
    if (!body.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const size = reply.chunkSize ?? 4;
    const pieces = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
    const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
    send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    for (const [i, piece] of pieces.entries()) {
      if (reply.stallAfterChunks !== undefined && i >= reply.stallAfterChunks) return; // never ends
      send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    send({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: pieces.length, total_tokens: 10 + pieces.length } });
    response.end('data: [DONE]\n\n');
  }
}

/** A deterministic unit vector from a text's hash. */
function hashVector(text: string, dimensions: number): number[] {
  const digest = createHash('sha256').update(text).digest();
  const vector = Array.from({ length: dimensions }, (_, i) => digest[i % digest.length] / 255 - 0.5);
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

/**
 * A Slack Web API on loopback for tests: answers auth.test, chat.postMessage and
 * conversations.replies (with `threadMessages`), and records every call, including POSTs to
 * `/respond/*` that stand in for a slash command's response_url. `replies` overrides the answer
 * to a method (e.g. `{ ok: false, error: 'invalid_auth' }` for a bad token), by the token sent
 * when the key is `method token`.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  threadMessages: Record<string, unknown>[] = [];
  replies: Record<string, Record<string, unknown>> = {};
  private server: Server | undefined;
  url = '';

  /** The HTTP server, for fakes that share its port (the Socket Mode WebSocket). */
  get httpServer(): Server {
    if (!this.server) throw new Error('FakeSlackApi is not started');
    return this.server;
  }

  async start(): Promise<string> {
    this.server = createServer(async (request, response) => {
      let raw = '';
      for await (const chunk of request) raw += chunk;
      const method = (request.url ?? '')
        .replace(/^\/api\//, '')
        .replace(/^\//, '')
        .split('?')[0];
      this.calls.push({ method, body: parseBody(raw, request.headers['content-type'] ?? '') });
      const reply: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') Object.assign(reply, { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'verbatim' });
      if (method === 'chat.postMessage') Object.assign(reply, { ts: `${Date.now() / 1000}`, channel: 'C1' });
      if (method === 'conversations.replies') Object.assign(reply, { messages: this.threadMessages });
      const token = /^Bearer\s+(.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const override = this.replies[`${method} ${token}`] ?? this.replies[method];
      if (override) Object.assign(reply, override);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return `${this.url}/api/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Waits until `count` calls of `method` have arrived (or fails after `ms`). */
  async waitFor(method: string, count = 1, ms = 5000): Promise<SlackCall[]> {
    const deadline = Date.now() + ms;
    while (this.callsTo(method).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} ${method} call(s), got ${this.callsTo(method).length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.callsTo(method);
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = key === 'blocks' || key === 'attachments' ? JSON.parse(value) : value;
  }
  return body;
}

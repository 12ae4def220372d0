import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.js';

/** What the app sent back for an envelope: its `payload` (the ack's response), if any. */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

/**
 * Slack's Socket Mode on loopback, on the port of a FakeSlackApi: apps.connections.open answers
 * with this server's WebSocket URL for the app token `appToken` (and `invalid_auth` for any
 * other); each connection gets `hello`; `send` delivers an envelope and resolves with the app's
 * ack. `disconnect` sends Slack's "please reconnect" message, as Slack does every few hours.
 */
export class FakeSlackSocket {
  private readonly server: WebSocketServer;
  private readonly waiting = new Map<string, (ack: SocketAck) => void>();
  private readonly sockets = new Set<WebSocket>();
  connections = 0;

  constructor(
    private readonly api: FakeSlackApi,
    public appToken = 'xapp-test',
  ) {
    this.server = new WebSocketServer({ server: api.httpServer, path: '/link' });
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('message', (data) => {
        const ack = JSON.parse(String(data)) as SocketAck;
        this.waiting.get(ack.envelope_id)?.(ack);
        this.waiting.delete(ack.envelope_id);
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'fake' } }));
    });
    this.authorize(appToken);
  }

  /** Makes `token` the only app token apps.connections.open accepts (e.g. after a revocation). */
  authorize(token: string): void {
    this.appToken = token;
    const wsUrl = `${this.api.url.replace(/^http/, 'ws')}/link`;
    this.api.replies['apps.connections.open'] = { ok: false, error: 'invalid_auth' };
    for (const key of Object.keys(this.api.replies)) if (key.startsWith('apps.connections.open ')) delete this.api.replies[key];
    this.api.replies[`apps.connections.open ${token}`] = { ok: true, url: wsUrl };
  }

  /** Waits until `count` connections have been opened in all. */
  async waitForConnections(count: number, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (this.connections < count || this.sockets.size === 0) {
      if (Date.now() > deadline) throw new Error(`expected ${count} Socket Mode connection(s), got ${this.connections}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Delivers an envelope (`events_api`, `slash_commands`, `interactive`) and resolves with its ack. */
  send(type: string, payload: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<SocketAck> {
    const envelopeId = randomUUID();
    const acked = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${type} envelope`)), 5000);
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    const envelope = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
      ...extra,
    };
    for (const socket of this.sockets) socket.send(JSON.stringify(envelope));
    return acked;
  }

  /** Asks every connected client to reconnect. */
  disconnect(reason = 'refresh_requested'): void {
    for (const socket of this.sockets) socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake' } }));
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../core/engine.js';
import { hashingEmbedder } from '../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../test/fakes/in-memory-passage-store.js';
import { allowedHostsFor } from './allowed-hosts.js';
import { createApp, type AppDependencies } from './create-app.js';

// Issue 26, finding 9: a page that rebinds its own name to 127.0.0.1 reaches a loopback server
// with its own name in Host (and its origin in Origin); every route must refuse it.

let engine: Engine;
beforeAll(async () => {
  const store = await InMemoryPassageStore.fromDocuments([{ docId: 'harbour.txt', title: 'Harbour', text: 'High tide is at 06:40.' }]);
  engine = createEngine({ store, embedder: hashingEmbedder() });
});

const app = (overrides: Partial<AppDependencies> = {}) =>
  createApp({
    engine,
    limits: { maxQuestionChars: 200, maxHistoryTurns: 4 },
    allowedHosts: allowedHostsFor('127.0.0.1', []),
    ...overrides,
  });

const ROUTES: [method: 'get' | 'post', path: string, body?: object][] = [
  ['get', '/'],
  ['get', '/app.js'],
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/v1/sources'],
  ['get', '/v1/sources/harbour.txt'],
  ['get', '/v1/models'],
  ['post', '/v1/answer', { question: 'When is high tide?' }],
  ['post', '/v1/chat/completions', { model: 'verbatim-extractive', messages: [{ role: 'user', content: 'When is high tide?' }] }],
  ['post', '/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }],
  ['get', '/no/such/route'],
];

const send = (served: ReturnType<typeof app>, [method, path, body]: (typeof ROUTES)[number], headers: Record<string, string>) => {
  const pending = request(served)[method](path).set(headers).set('Accept', 'application/json, text/event-stream');
  return body ? pending.send(body) : pending;
};

describe('a server bound to loopback (DNS rebinding)', () => {
  it('refuses a foreign Host on every route with 403, and serves its own names', async () => {
    const served = app();
    for (const route of ROUTES) {
      const refused = await send(served, route, { Host: 'rebound.attacker.example:3000' });
      expect(refused.status, route[1]).toBe(403);
      expect(refused.body.error, route[1]).toMatchObject({ code: 'host_not_allowed' });
    }
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST']) {
      const served200 = await send(served, ['get', '/v1/sources'], { Host: host });
      expect(served200.status, host).toBe(200);
    }
  });

  it('refuses a foreign Origin on every route, and takes its own page and CORS_ORIGINS', async () => {
    const served = app({ corsOrigins: ['https://tools.example'] });
    for (const route of ROUTES) {
      const refused = await send(served, route, { Host: 'localhost:3000', Origin: 'http://attacker.example' });
      expect(refused.status, route[1]).toBe(403);
      expect(refused.body.error, route[1]).toMatchObject({ code: 'origin_not_allowed' });
    }
    const own = await send(served, ROUTES[7], { Host: 'localhost:3000', Origin: 'http://localhost:3000' });
    expect(own.status).toBe(200);
    const listed = await send(served, ROUTES[7], { Host: 'localhost:3000', Origin: 'https://tools.example' });
    expect(listed.status).toBe(200);
    const otherPort = await send(served, ROUTES[7], { Host: 'localhost:3000', Origin: 'http://localhost:8080' });
    expect(otherPort.status).toBe(403);
  });

  it('allows the names in ALLOWED_HOSTS; checks nothing on all interfaces unless ALLOWED_HOSTS is set', () => {
    expect(allowedHostsFor('127.0.0.1', [])).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostsFor('::1', ['verbatim.internal'])).toEqual(['localhost', '127.0.0.1', '[::1]', 'verbatim.internal']);
    expect(allowedHostsFor('localhost', [])).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostsFor('0.0.0.0', [])).toBeNull();
    expect(allowedHostsFor('0.0.0.0', ['answers.example.com'])).toEqual(['answers.example.com']);
  });
});

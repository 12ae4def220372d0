import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../core/engine.js';
import { hashingEmbedder } from '../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../test/fakes/in-memory-passage-store.js';
import { postMcp, rpcRequest } from '../test/helpers/mcp-rpc.js';
import { serveApp } from '../test/helpers/serve-app.js';
import { createApp } from './create-app.js';
import { MAX_ERROR_MESSAGE_CHARS } from './error-handler.js';

// Issue 26, finding 12: every error message a client gets is bounded, whatever it echoes.

const LONG = 'x'.repeat(30_000);
let engine: Engine;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  const store = await InMemoryPassageStore.fromDocuments([
    { docId: 'harbour.txt', title: 'Harbour', text: 'High tide at Port Elin arrives at 06:40 on weekdays.' },
  ]);
  engine = createEngine({ store, embedder: hashingEmbedder() });
  ({ url: base, close } = await serveApp(createApp({ engine, limits: { maxQuestionChars: 200, maxHistoryTurns: 4 } })));
});
afterAll(() => close());

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('error messages are bounded on every route and in MCP', () => {
  it('on the OpenAI-compatible routes, for an unknown model and an unsupported content part', async () => {
    const unknownModel = await post('/v1/chat/completions', { model: LONG, messages: [{ role: 'user', content: 'Tide?' }] });
    expect(unknownModel.status).toBe(404);
    const modelError = (await unknownModel.json()).error;
    expect(modelError).toMatchObject({ code: 'model_not_found', type: 'not_found_error', param: 'model' });
    expect(modelError.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);

    const part = await post('/v1/chat/completions', {
      model: 'verbatim-extractive',
      messages: [{ role: 'user', content: [{ type: LONG }] }],
    });
    expect(part.status).toBe(400);
    const partError = (await part.json()).error;
    expect(partError.message).toMatch(/only text parts are supported/);
    expect(partError.message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
  });

  it('in MCP errors the SDK makes (an unknown tool) and those Verbatim makes (an unknown source)', async () => {
    const tool = await postMcp(base, rpcRequest(1, 'tools/call', { name: LONG, arguments: {} }));
    const resource = await postMcp(base, rpcRequest(2, 'resources/read', { uri: `verbatim://sources/${LONG}` }));
    const messages = [tool, resource].map(({ reply }) => {
      const { error, result } = reply as { error?: { message: string }; result?: { content: { text: string }[] } };
      return error?.message ?? result!.content[0].text;
    });
    expect(messages[0]).toMatch(/not found/);
    expect(messages[1]).toMatch(/No source with id/);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
  });
});

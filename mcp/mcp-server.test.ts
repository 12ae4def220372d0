import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import { EngineHolder } from '../runtime/engine-holder.js';
import { createApp, type AppDependencies } from '../server/create-app.js';
import type { SearchIndex } from '../store/search-index.js';
import { buildLocalIndex, localEngine } from '../test/helpers/local-engine.js';
import { connectMcp, expectToolsAndResources, MCP_QUESTION } from '../test/helpers/mcp-client.js';
import { serveApp } from '../test/helpers/serve-app.js';
import { CORPUS_DIR } from '../test/paths.js';

// The same tools and resources over stdio (npm run mcp, a process of its own): mcp-stdio.e2e.test.ts.

let index: SearchIndex;
let engine: Engine;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  index = await buildLocalIndex(CORPUS_DIR);
  engine = localEngine(index);
});
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

async function httpClient(overrides: Partial<AppDependencies> = {}, headers: Record<string, string> = {}) {
  const served = await serveApp(createApp({ engine: engine, limits: { maxQuestionChars: 300, maxHistoryTurns: 4 }, ...overrides }));
  cleanups.push(served.close);
  return connectMcp(new StreamableHTTPClientTransport(new URL(`${served.url}/mcp`), { requestInit: { headers } }), cleanups);
}

describe('MCP over Streamable HTTP (/mcp in the server)', () => {
  it('serves both tools and the documents with the API key', async () => {
    const { client, errors } = await httpClient({ apiKeys: ['k-mcp'] }, { Authorization: 'Bearer k-mcp' });
    await expectToolsAndResources(client, engine, index);
    expect(errors).toEqual([]);
  });

  it('refuses a missing key and a browser origin not in CORS_ORIGINS', async () => {
    await expect(httpClient({ apiKeys: ['k-mcp'] })).rejects.toThrow(/401|unauthorized|API key/i);
    await expect(httpClient({}, { Origin: 'http://attacker.example' })).rejects.toThrow(/403|origin/i);
    const { client } = await httpClient({ corsOrigins: ['http://inspector.example'] }, { Origin: 'http://inspector.example' });
    expect((await client.listTools()).tools).toHaveLength(2);
  });

  it('reports a loading index as a tool error, not a crash', async () => {
    const { client } = await httpClient({ engine: new EngineHolder(), ready: () => false });
    const result = await client.callTool({ name: 'answer_question', arguments: { question: MCP_QUESTION } });
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/still loading/) }] });
  });
});

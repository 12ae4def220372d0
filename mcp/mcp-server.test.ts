import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../core/answer/answer-question.js';
import { renderAnswerText } from '../core/answer/render-answer-text.js';
import type { Answer, Passage } from '../core/contracts/types.js';
import { createApp, type AppDependencies } from '../server/create-app.js';
import type { SearchIndex } from '../store/search-index.js';
import { buildLocalIndexDir, documentText, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { scriptEnvironment } from '../test/helpers/run-script.js';
import { serveApp } from '../test/helpers/serve-app.js';
import { CORPUS_DIR, ROOT } from '../test/paths.js';
import type { Engine } from '../core/engine.js';
import { EngineHolder } from '../runtime/engine-holder.js';

const QUESTION = 'How many high-performance GPUs will South Korea have?';
const DOC_ID = 'south-korea-physical-ai.txt';

let indexDir: string;
let index: SearchIndex;
let engine: Engine;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ indexDir, index } = await buildLocalIndexDir(CORPUS_DIR));
  engine = localEngine(index);
});
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

/** An MCP SDK client connected over `transport`; transport errors (such as non-protocol output) are collected. */
async function connect(transport: Transport): Promise<{ client: Client; errors: Error[] }> {
  const errors: Error[] = [];
  transport.onerror = (error) => errors.push(error);
  const client = new Client({ name: 'verbatim-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, errors };
}

async function httpClient(overrides: Partial<AppDependencies> = {}, headers: Record<string, string> = {}) {
  const served = await serveApp(createApp({ engine: engine, limits: { maxQuestionChars: 300, maxHistoryTurns: 4 }, ...overrides }));
  cleanups.push(served.close);
  return connect(new StreamableHTTPClientTransport(new URL(`${served.url}/mcp`), { requestInit: { headers } }));
}

/** Both tools and the resources, as any MCP client sees them, the same over every transport. */
async function expectToolsAndResources(client: Client): Promise<void> {
  const tools = await client.listTools();
  expect(tools.tools.map((tool) => tool.name).sort()).toEqual(['answer_question', 'search_passages']);
  expect(tools.tools.every((tool) => tool.outputSchema && tool.annotations?.readOnlyHint)).toBe(true);

  const expected = await collectAnswer(engine.answer({ question: QUESTION }));
  const answered = await client.callTool({ name: 'answer_question', arguments: { question: QUESTION } });
  expect(answered.isError).toBeFalsy();
  const answer = answered.structuredContent as unknown as Answer;
  expect(answer).toMatchObject({
    answer: expected.answer,
    answerable: true,
    citations: expected.citations,
    confidence: expected.confidence,
  });
  expect(answer.answer).toContain('300,000');
  expect(answered.content).toEqual([{ type: 'text', text: renderAnswerText(answer) }]);
  expect(renderAnswerText(answer)).toContain(`[1] ${DOC_ID} (characters ${answer.citations[0].start}–${answer.citations[0].end})`);

  // The answer's own retrieval and search_passages are one retrieval: same chunks, same order.
  const searched = await client.callTool({ name: 'search_passages', arguments: { query: QUESTION, k: 3 } });
  const { passages } = searched.structuredContent as { passages: (Passage & { rank: number })[] };
  expect(passages.map((p) => p.rank)).toEqual([1, 2, 3]);
  expect(passages.map((p) => p.chunkId)).toEqual(expected.passages.slice(0, 3).map((p) => p.chunkId));
  const stored = await documentText(index, DOC_ID);
  for (const passage of passages) expect(stored.slice(passage.start, passage.end)).toBe(passage.text);
  expect((searched.content as { text: string }[])[0].text).toMatch(
    /^\[1\] south-korea-physical-ai\.txt \(characters \d+–\d+, score [\d.]+\)\n/,
  );

  const resources = await client.listResources();
  expect(resources.resources).toMatchObject([
    {
      uri: `verbatim://sources/${DOC_ID}`,
      name: DOC_ID,
      title: (await index.getSummary(DOC_ID))!.title,
      mimeType: 'text/plain',
      size: stored.length,
    },
  ]);
  const read = await client.readResource({ uri: resources.resources[0].uri });
  const text = (read.contents[0] as { text: string }).text;
  const cited = answer.citations[0];
  expect(text.slice(cited.start, cited.end)).toBe(cited.quote);
  await expect(client.readResource({ uri: 'verbatim://sources/missing.txt' })).rejects.toThrow(/No source with id "missing.txt"/);
}

describe('MCP over stdio (npm run mcp)', () => {
  it('serves both tools and the documents to the SDK client, with nothing but protocol on stdout', async () => {
    const transport = new StdioClientTransport({
      // The command docs/integrations.md gives MCP clients: npm's --silent keeps its banner off stdout.
      command: 'npm',
      args: ['run', '--silent', '--prefix', ROOT, 'mcp'],
      cwd: temporaryDir(),
      env: scriptEnvironment({ INDEX_DIR: indexDir }),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => (stderr += chunk));
    const { client, errors } = await connect(transport);
    expect(client.getServerVersion()?.name).toBe('verbatim');
    await expectToolsAndResources(client);

    const invalid = await client.callTool({ name: 'answer_question', arguments: { question: '  ' } });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toMatch(/question/);
    const invisible = await client.callTool({ name: 'answer_question', arguments: { question: '\u200b\u200b' } });
    expect(invisible.isError).toBe(true);
    expect(JSON.stringify(invisible.content)).toMatch(/letter or digit/);
    const noModel = await client.callTool({ name: 'answer_question', arguments: { question: QUESTION, mode: 'generative' } });
    expect(noModel).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/needs a language model/) }] });

    expect(errors).toEqual([]);
    expect(stderr).toContain('Verbatim MCP server ready on stdio.');
  });
});

describe('MCP over Streamable HTTP (/mcp in the server)', () => {
  it('serves both tools and the documents with the API key', async () => {
    const { client, errors } = await httpClient({ apiKeys: ['k-mcp'] }, { Authorization: 'Bearer k-mcp' });
    await expectToolsAndResources(client);
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
    const result = await client.callTool({ name: 'answer_question', arguments: { question: QUESTION } });
    expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/still loading/) }] });
  });
});

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTerminalAnswer } from '../ask/render-terminal-answer.js';
import { renderAnswerText } from '../core/answer/render-answer-text.js';
import type { Answer, Citation } from '../core/contracts/types.js';
import { createApp } from '../server/create-app.js';
import type { VerbatimMessageFields } from '../server/render-chat-completion.js';
import { buildLocalIndexDir, localEngine } from './helpers/local-engine.js';
import { runScript, scriptEnvironment } from './helpers/run-script.js';
import { serveApp } from './helpers/serve-app.js';
import { CORPUS_DIR, ROOT } from './paths.js';

/** What every surface must agree on. */
interface Rendered {
  answer: string;
  answerable: boolean;
  confidence: number | null;
  citations: Citation[];
}

const KEY = 'k-surfaces';
let baseUrl: string;
let indexDir: string;
const closers: (() => Promise<void>)[] = [];
let mcpHttp: Client;
let mcpStdio: Client;

async function mcpClient(transport: Transport): Promise<Client> {
  const client = new Client({ name: 'surfaces-test', version: '1.0.0' });
  await client.connect(transport);
  closers.push(() => client.close());
  return client;
}

beforeAll(async () => {
  const built = await buildLocalIndexDir(CORPUS_DIR);
  indexDir = built.indexDir;
  const engine = localEngine(built.index);
  const served = await serveApp(createApp({ engine: engine, limits: { maxQuestionChars: 2000, maxHistoryTurns: 20 }, apiKeys: [KEY] }));
  closers.push(served.close);
  baseUrl = served.url;
  mcpHttp = await mcpClient(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${KEY}` } } }),
  );
  mcpStdio = await mcpClient(
    new StdioClientTransport({
      // The command docs/integrations.md gives MCP clients: npm's --silent keeps its banner off stdout.
      command: 'npm',
      args: ['run', '--silent', '--prefix', ROOT, 'mcp'],
      cwd: ROOT,
      env: scriptEnvironment({ INDEX_DIR: indexDir }),
      stderr: 'ignore',
    }),
  );
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

const pick = (answer: Rendered): Rendered => ({
  answer: answer.answer,
  answerable: answer.answerable,
  confidence: answer.confidence,
  citations: answer.citations,
});

async function postAnswer(question: string, stream: boolean): Promise<Response> {
  return fetch(`${baseUrl}/v1/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ question, stream }),
  });
}

/** The SSE stream's `done` Answer, checked against its own delta and citation events. */
async function viaSse(question: string): Promise<Rendered> {
  const events = (await (await postAnswer(question, true)).text())
    .split('\n\n')
    .filter((frame) => frame.trim())
    .map((frame) => ({ event: /^event: (\w+)/.exec(frame)![1], data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]) }));
  const done = events.find((e) => e.event === 'done')!.data as Answer;
  expect(
    events
      .filter((e) => e.event === 'delta')
      .map((e) => e.data.text)
      .join(''),
  ).toBe(done.answer);
  expect(events.filter((e) => e.event === 'citation').map((e) => e.data.citation)).toEqual(done.citations);
  return pick(done);
}

async function viaChatCompletions(question: string): Promise<Rendered[]> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: KEY, maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: question }];
  const completion = await client.chat.completions.create({ model: 'verbatim', messages });
  const fields = (completion.choices[0].message as unknown as { verbatim: VerbatimMessageFields }).verbatim;
  let content = '';
  let final: VerbatimMessageFields | undefined;
  for await (const chunk of await client.chat.completions.create({ model: 'verbatim', messages, stream: true })) {
    content += chunk.choices[0]?.delta.content ?? '';
    final = (chunk.choices[0]?.delta as { verbatim?: VerbatimMessageFields }).verbatim ?? final;
  }
  return [
    { ...fields, answer: completion.choices[0].message.content! },
    { ...final!, answer: content },
  ].map(pick);
}

async function viaMcp(client: Client, question: string): Promise<Rendered> {
  const result = await client.callTool({ name: 'answer_question', arguments: { question } });
  const answer = result.structuredContent as unknown as Answer;
  expect(result.content).toEqual([{ type: 'text', text: renderAnswerText(answer) }]);
  return pick(answer);
}

/** `npm run ask` in its own process over the same index: --json, checked against its text output (the shared text, led by the confidence). */
async function viaAsk(question: string): Promise<Rendered> {
  const [json, text] = await Promise.all([
    runScript('ask/main.ts', ['--json', question], { INDEX_DIR: indexDir }),
    runScript('ask/main.ts', [question], { INDEX_DIR: indexDir }),
  ]);
  const answer = JSON.parse(json.out) as Answer;
  expect(text.out).toBe(`${renderTerminalAnswer(answer)}\n`);
  expect([json.code, text.code]).toEqual(answer.answerable ? [0, 0] : [3, 3]);
  return pick(answer);
}

describe('every surface gives the same answer text and citations', () => {
  it.each([
    ['an answered question', 'Which companies did Nvidia pledge to cooperate with?'],
    ['a refused question', 'What is the capital of Australia?'],
  ])('%s: JSON, SSE, chat completions (JSON and stream), MCP (HTTP and stdio), ask', async (_kind, question) => {
    const json = pick((await (await postAnswer(question, false)).json()) as Answer);
    const [sse, chat, chatStream, mcpOverHttp, mcpOverStdio, terminal] = await Promise.all([
      viaSse(question),
      ...(await viaChatCompletions(question)),
      viaMcp(mcpHttp, question),
      viaMcp(mcpStdio, question),
      viaAsk(question),
    ]);
    for (const rendered of [sse, chat, chatStream, mcpOverHttp, mcpOverStdio, terminal]) expect(rendered).toEqual(json);
    if (json.answerable) {
      expect(json.citations.length).toBeGreaterThan(0);
      expect(json.answer).toContain('Samsung Electronics');
    } else {
      expect(json.citations).toEqual([]);
    }
  });
});

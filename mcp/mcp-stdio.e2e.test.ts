import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import type { SearchIndex } from '../store/search-index.js';
import { buildLocalIndexDir, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { connectMcp, expectToolsAndResources, MCP_QUESTION } from '../test/helpers/mcp-client.js';
import { scriptEnvironment } from '../test/helpers/run-script.js';
import { CORPUS_DIR, ROOT } from '../test/paths.js';

// The same tools and resources over Streamable HTTP, in this process: mcp-server.test.ts.

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
    const { client, errors } = await connectMcp(transport, cleanups);
    expect(client.getServerVersion()?.name).toBe('verbatim');
    await expectToolsAndResources(client, engine, index);

    const invalid = await client.callTool({ name: 'answer_question', arguments: { question: '  ' } });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toMatch(/question/);
    const invisible = await client.callTool({ name: 'answer_question', arguments: { question: '\u200b\u200b' } });
    expect(invisible.isError).toBe(true);
    expect(JSON.stringify(invisible.content)).toMatch(/letter or digit/);
    const noModel = await client.callTool({ name: 'answer_question', arguments: { question: MCP_QUESTION, mode: 'generative' } });
    expect(noModel).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringMatching(/needs a language model/) }] });

    expect(errors).toEqual([]);
    expect(stderr).toContain('Verbatim MCP server ready on stdio.');
  });
});

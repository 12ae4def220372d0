import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { loadConfig } from '../config/load-config.js';
import { readEnvironment } from '../config/read-environment.js';
import { openEngine } from '../runtime/open-engine.js';
import { createMcpServer } from './create-mcp-server.js';
import { guardResponses } from './guard-responses.js';

const USAGE = `usage: npm run mcp
  Serves the index (INDEX_DIR, built from CORPUS_DIR if missing) as an MCP server over stdio:
  tools answer_question and search_passages, and the source documents as resources.
  stdout carries only the protocol; messages go to stderr. Settings come from the environment and .env.`;

/** The MCP server over stdio, for assistants that start it as a process (Claude Desktop, Cursor, VS Code). */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.error(USAGE);
    return EXIT.ok;
  }
  const config = loadConfig(readEnvironment());
  // Everything but the protocol goes to stderr: stdout is the client's channel.
  const log = (line: string) => console.error(line);
  const engine = await openEngine(config, resolve(config.INDEX_DIR), { ingestIfMissing: resolve(config.CORPUS_DIR), log });
  const logError = (error: unknown) => console.error(error);
  const server = createMcpServer({
    engine,
    limits: { maxQuestionChars: config.MAX_QUESTION_CHARS, maxHistoryTurns: config.MAX_HISTORY_TURNS },
    sourceMaxChars: config.SOURCE_MAX_CHARS,
    logError,
  });
  const transport = new StdioServerTransport();
  guardResponses(transport, logError);
  const closed = new Promise<void>((done) => {
    transport.onclose = done;
    process.stdin.once('end', done);
  });
  await server.connect(transport);
  log('Verbatim MCP server ready on stdio.');
  await closed;
  return EXIT.ok;
}

runCli({ name: 'npm run mcp', usage: USAGE, main });

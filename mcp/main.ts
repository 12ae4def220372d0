import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { EXIT, runCli } from '../cli/run-cli.js';
import { checkCollectionReferences } from '../config/check-collection-references.js';
import { loadCollectionsFile } from '../config/load-collections-file.js';
import { loadConfig } from '../config/load-config.js';
import { readEnvironment } from '../config/read-environment.js';
import { EngineRegistry } from '../runtime/engine-registry.js';
import { listCollections } from '../runtime/list-collections.js';
import { openCollections } from '../runtime/open-collections.js';
import { openStoreDatabase } from '../runtime/open-store-database.js';
import { SharedParts } from '../runtime/shared-parts.js';
import { createMcpServer } from './create-mcp-server.js';
import { guardResponses } from './guard-responses.js';

const USAGE = `usage: npm run mcp
  Serves the index (INDEX_DIR, built from CORPUS_DIR if missing) and every other collection
  (COLLECTIONS_FILE, COLLECTIONS_INDEX_DIR) as an MCP server over stdio: tools answer_question and
  search_passages (each with an optional collection), and the source documents as resources.
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
  const file = config.COLLECTIONS_FILE ? loadCollectionsFile(config.COLLECTIONS_FILE) : undefined;
  const database = await openStoreDatabase(config, 'verbatim mcp', log);
  const specs = await listCollections(config, file, database);
  checkCollectionReferences(
    specs.map((spec) => spec.name),
    config,
    file,
  );
  const collections = new EngineRegistry(specs.map((spec) => spec.name));
  const { outcomes } = await openCollections({
    registry: collections,
    specs,
    shared: new SharedParts(log),
    database,
    reloadSeconds: 0,
    log,
    onError: (name, error) => {
      if (specs.length > 1) log(`The collection ${name} cannot be served: ${error instanceof Error ? error.message : error}`);
    },
  });
  // One collection that cannot be served stops the command, as before collections; of several, only all of them.
  const failed = outcomes.find((outcome) => 'error' in outcome && outcomes.length === 1);
  if (failed && 'error' in failed) throw failed.error;
  if (outcomes.every((outcome) => 'error' in outcome)) throw new Error('no collection could be loaded');
  const logError = (error: unknown) => console.error(error);
  const server = createMcpServer({
    collections,
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

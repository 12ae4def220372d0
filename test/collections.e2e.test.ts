import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../core/contracts/types.js';
import { METRIC_KEYS } from '../eval/metrics.js';
import { isGenerationName } from '../store/index-layout.js';
import { temporaryDir } from './helpers/local-engine.js';
import { runScript, scriptEnvironment } from './helpers/run-script.js';
import { startServerProcess, type ServerProcess } from './helpers/server-process.js';
import { COLLECTION_QUESTIONS, writeCollectionFolders, type CollectionName } from './helpers/two-collections.js';
import { CORPUS_DIR, ROOT } from './paths.js';

const root = temporaryDir();
const folders = writeCollectionFolders(root);
const collectionsDir = join(root, 'index-collections');
/** The settings every command here runs with: the collections are found under COLLECTIONS_INDEX_DIR, no file needed. */
const env = {
  INDEX_DIR: join(root, 'index'),
  CORPUS_DIR,
  COLLECTIONS_INDEX_DIR: collectionsDir,
  CHUNK_SIZE: '400',
  CHUNK_OVERLAP: '80',
  API_KEYS: 'k-all,k-handbook:handbook',
};
const NAMES: CollectionName[] = ['handbook', 'runbooks'];
const children: ChildProcess[] = [];
let server: ServerProcess;

/** Eval cases for each collection: two answerable, one not. */
const CASES: Record<CollectionName, object[]> = {
  handbook: [
    { id: 'h1', question: COLLECTION_QUESTIONS.handbook.question, must_include: ['27'], contexts: ['Every employee gets 27 days'] },
    { id: 'h2', question: 'When does the Lisbon office open?', must_include: ['8:15'], contexts: ['The Lisbon office opens at 8:15'] },
    { id: 'h3', question: 'What is the capital of Peru?', unanswerable: true },
  ],
  runbooks: [
    { id: 'r1', question: COLLECTION_QUESTIONS.runbooks.question, must_include: ['bravo-7'], contexts: ['runs on host bravo-7'] },
    { id: 'r2', question: 'When does the pager rotation change?', must_include: ['Tuesday'], contexts: ['changes every Tuesday'] },
    { id: 'r3', question: 'What is the capital of Peru?', unanswerable: true },
  ],
};
const casesFile = (name: CollectionName) => join(root, `${name}.jsonl`);

/** Flips a few bytes of a file, keeping its size: only its checksum can tell. */
function flipBytes(file: string): void {
  const bytes = readFileSync(file);
  for (const at of [1, Math.floor(bytes.length / 2), bytes.length - 2]) bytes[at] ^= 0x5a;
  writeFileSync(file, bytes);
}

beforeAll(async () => {
  for (const name of NAMES) writeFileSync(casesFile(name), CASES[name].map((c) => JSON.stringify(c)).join('\n'));
  // `npm run ingest -- FOLDER --collection NAME`, as a user runs it; a third collection is then damaged.
  const ingested = await Promise.all(
    [...NAMES, 'broken'].map((name) =>
      runScript('ingest/main.ts', [folders[name === 'broken' ? 'runbooks' : (name as CollectionName)], '--collection', name], env),
    ),
  );
  for (const [i, name] of [...NAMES, 'broken'].entries()) {
    expect(ingested[i].err).toContain(`-> ${join(collectionsDir, name)} (collection ${name})`);
    expect(ingested[i].code).toBe(0);
  }
  const broken = join(collectionsDir, 'broken');
  flipBytes(join(broken, readdirSync(broken).find(isGenerationName)!, 'texts.bin'));
  server = await startServerProcess({ ...env, WORKERS: '1', RATE_LIMIT_PER_MINUTE: '0' }, (output) => /Ready: /.test(output));
  children.push(server.child);
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function ask(key: string, body: object): Promise<{ status: number; body: Answer & { error?: { code: string; message: string } } }> {
  const response = await fetch(`${server.base}/v1/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer & { error?: { code: string; message: string } } };
}

describe('npm start with collections ingested by npm run ingest --collection', () => {
  it('serves the default and both collections, reports the damaged one, and refuses it by name while the others answer', async () => {
    expect(server.output()).toContain('Ready: 4 collections, 1 unavailable (broken)');
    expect(server.output()).toMatch(/The collection broken cannot be served: .*damaged/);
    const ready = (await (await fetch(`${server.base}/readyz`)).json()) as { status: string; collections: object[] };
    expect(ready.status).toBe('ready');
    expect(ready.collections).toEqual([
      { name: 'default', status: 'ready', generation: expect.stringMatching(/^g-/) },
      { name: 'broken', status: 'unavailable', generation: null },
      { name: 'handbook', status: 'ready', generation: expect.stringMatching(/^g-/) },
      { name: 'runbooks', status: 'ready', generation: expect.stringMatching(/^g-/) },
    ]);
    expect(await ask('k-all', { question: 'Anything?', collection: 'broken' })).toMatchObject({
      status: 503,
      body: { error: { code: 'collection_unavailable' } },
    });
    for (const name of NAMES) {
      const { status, body } = await ask('k-all', { question: COLLECTION_QUESTIONS[name].question, collection: name });
      expect(status).toBe(200);
      expect(body.answer).toContain(COLLECTION_QUESTIONS[name].fact);
      expect(body.citations[0].docId).toBe(COLLECTION_QUESTIONS[name].docId);
    }
    expect(await ask('k-handbook', { question: COLLECTION_QUESTIONS.runbooks.question, collection: 'runbooks' })).toMatchObject({
      status: 403,
      body: { error: { code: 'collection_forbidden' } },
    });
  });

  it('npm run ask --collection answers from that collection, locally and through the server, and names the refusal', async () => {
    const local = await runScript('ask/main.ts', ['--json', '--collection', 'handbook', COLLECTION_QUESTIONS.handbook.question], env);
    expect(local.code).toBe(0);
    expect((JSON.parse(local.out) as Answer).answer).toContain('27');
    const remote = await runScript(
      'ask/main.ts',
      ['--url', server.base, '--api-key', 'k-all', '--collection', 'runbooks', COLLECTION_QUESTIONS.runbooks.question],
      env,
    );
    expect(remote.code).toBe(0);
    expect(remote.out).toContain('bravo-7');
    const refused = await runScript(
      'ask/main.ts',
      ['--url', server.base, '--api-key', 'k-handbook', '--collection', 'runbooks', COLLECTION_QUESTIONS.runbooks.question],
      env,
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('answered 403: This API key may not read the collection "runbooks"; it may read: handbook.');
    const unknown = await runScript('ask/main.ts', ['--collection', 'nope', 'Anything?'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('There is no collection "nope"; the collections are: default, broken, handbook, runbooks.');
  });

  it('npm run mcp serves each collection over stdio: tools take a collection, resources are grouped by it', async () => {
    const client = new Client({ name: 'collections-e2e', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: 'npm',
      args: ['run', '--silent', '--prefix', ROOT, 'mcp'],
      cwd: root,
      env: scriptEnvironment(env),
      stderr: 'ignore',
    });
    await client.connect(transport);
    try {
      for (const name of NAMES) {
        const result = await client.callTool({
          name: 'answer_question',
          arguments: { question: COLLECTION_QUESTIONS[name].question, collection: name },
        });
        expect((result.structuredContent as unknown as Answer).answer).toContain(COLLECTION_QUESTIONS[name].fact);
      }
      const uris = (await client.listResources()).resources.map((resource) => resource.uri);
      expect(uris).toContain('verbatim://collections/handbook/sources/office.md');
      expect(uris).toContain('verbatim://collections/runbooks/sources/pager.md');
      expect(uris).toContain('verbatim://sources/south-korea-physical-ai.txt');
    } finally {
      await client.close();
    }
  });

  it('npm run ingest --collection refuses another folder than the collections file gives it', async () => {
    const file = join(root, 'collections.yaml');
    writeFileSync(file, `collections:\n  handbook: ${folders.handbook}\n`);
    const result = await runScript('ingest/main.ts', [folders.runbooks, '--collection', 'handbook'], { ...env, COLLECTIONS_FILE: file });
    expect(result.code).toBe(2);
    expect(result.err).toContain(`gives the collection handbook the folder ${folders.handbook}, not ${folders.runbooks}`);
  });
});

describe('npm run eval on each collection', () => {
  /** The quality metrics of a report (latency differs run to run). */
  const quality = (report: { metrics: Record<string, number | null> }) =>
    Object.fromEntries(METRIC_KEYS.filter((key) => !key.startsWith('latency')).map((key) => [key, report.metrics[key]]));
  async function evaluate(name: CollectionName, args: string[], extraEnv: Record<string, string> = {}) {
    const json = join(root, `report-${name}-${Math.random().toString(36).slice(2)}.json`);
    const result = await runScript('eval/main.ts', ['--cases', casesFile(name), '--json', json, ...args], { ...env, ...extraEnv });
    expect(result.err).not.toMatch(/could not run/);
    if (args.includes('--collection')) expect(result.out).toContain(`mode, collection ${name})`);
    return quality(JSON.parse(readFileSync(json, 'utf8')));
  }

  it.each(NAMES)('gives on the collection %s the metrics of its folder served alone, in process and through one server', async (name) => {
    const [collection, folderAlone] = await Promise.all([
      evaluate(name, ['--collection', name]),
      evaluate(name, ['--docs', folders[name]]),
    ]);
    expect(collection).toEqual(folderAlone);
    expect(collection.fact_recall).toBe(1);

    // Through the server with every collection, and through a server of this folder alone.
    const alone = await startServerProcess(
      {
        ...env,
        API_KEYS: '',
        CORPUS_DIR: folders[name],
        INDEX_DIR: join(temporaryDir(), 'index'),
        COLLECTIONS_INDEX_DIR: temporaryDir(),
        WORKERS: '1',
      },
      (output) => /Ready: /.test(output),
    );
    children.push(alone.child);
    const [served, servedAlone] = await Promise.all([
      evaluate(name, ['--url', server.base, '--api-key', 'k-all', '--collection', name]),
      evaluate(name, ['--url', alone.base]),
    ]);
    alone.child.kill('SIGTERM');
    expect(served).toEqual(servedAlone);
  });
});

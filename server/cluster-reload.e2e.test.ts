import type { ChildProcess } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, buildLocalIndexDir, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { CORPUS_DIR } from '../test/paths.js';

let server: ChildProcess | undefined;
afterAll(() => server?.kill('SIGKILL'));

/** The generation the worker that takes a new connection serves (the primary hands connections out in turn). */
async function servedGeneration(base: string): Promise<string> {
  const response = await fetch(`${base}/readyz`, { headers: { connection: 'close' } });
  return ((await response.json()) as { generation: string }).generation;
}

describe('a re-ingest under two workers', () => {
  it('is loaded whole by every worker: each serves the old generation or the new one, then all the new one', async () => {
    const sourceDir = temporaryDir();
    cpSync(CORPUS_DIR, sourceDir, { recursive: true });
    const { indexDir } = await buildLocalIndexDir(sourceDir);
    const started = await startServerProcess({ WORKERS: '2', INDEX_DIR: indexDir, INDEX_RELOAD_SECONDS: '1' }, (output) =>
      output.includes('All 2 workers are serving.'),
    );
    server = started.child;
    const old = await servedGeneration(started.base);

    writeFileSync(join(sourceDir, 'depot.txt'), 'The gears depot opens at seven every morning and closes at noon.');
    const { generation: fresh } = await ingestDocuments({
      sourceDir,
      indexDir,
      embeddings: localEmbeddings(),
      embedder: LOCAL_IDENTITY,
      chunking: { chunkSize: 1000, chunkOverlap: 200 },
    });

    // Until both workers have swapped, answers come from either whole generation, never another.
    const seen: string[] = [];
    const deadline = Date.now() + 20_000;
    while (seen.slice(-6).filter((generation) => generation === fresh).length < 6 && Date.now() < deadline) {
      seen.push(await servedGeneration(started.base));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen.filter((generation) => generation !== old && generation !== fresh)).toEqual([]);
    expect(seen.slice(-6)).toEqual(new Array(6).fill(fresh));

    // Both workers answer from the new documents.
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${started.base}/v1/answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ question: 'When does the gears depot open?' }),
      });
      const answer = (await response.json()) as { generation: string; citations: { quote: string }[] };
      expect(answer.generation).toBe(fresh);
      expect(answer.citations.map((c) => c.quote).join(' ')).toContain('opens at seven');
    }
  }, 90_000);
});

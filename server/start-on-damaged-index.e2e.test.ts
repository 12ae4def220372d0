import type { ChildProcess } from 'node:child_process';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDocuments } from '../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { CORPUS_DIR } from '../test/paths.js';

const chunking = { chunkSize: 400, chunkOverlap: 80 };
const ingest = (sourceDir: string, indexDir: string) =>
  ingestDocuments({ sourceDir, indexDir, embeddings: localEmbeddings(), embedder: LOCAL_IDENTITY, chunking });

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('npm start on an index whose CURRENT is lost', () => {
  it('serves the newest committed generation with a warning, and neither rebuilds the sample nor deletes a generation', async () => {
    const indexDir = join(temporaryDir(), 'index');
    const older = (await ingest(CORPUS_DIR, indexDir)).generation;
    const source = temporaryDir();
    cpSync(CORPUS_DIR, source, { recursive: true });
    writeFileSync(join(source, 'added.txt'), 'The Vega depot opens at 9am on weekdays.');
    const newer = (await ingest(source, indexDir)).generation;
    rmSync(join(indexDir, 'CURRENT'));
    const before = readdirSync(indexDir, { recursive: true, encoding: 'utf8' }).sort();

    // CORPUS_DIR unset: the bundled sample is what start-up would build into a missing index.
    const server = await startServerProcess({ INDEX_DIR: indexDir, WORKERS: '1' }, (output) => /Ready: /.test(output));
    children.push(server.child);
    expect(server.output()).toMatch(
      /WARNING: The index at .* is damaged \(CURRENT is missing, but the folder holds 2 generations\)\. Serving the newest intact committed generation/,
    );
    expect(server.output()).toContain(`Ready: 2 documents, `);
    expect(server.output()).toContain(`(index generation ${newer})`);
    expect(server.output()).not.toMatch(/building it from/);
    const ready = await fetch(`${server.base}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ready', generation: newer });
    expect(readdirSync(indexDir, { recursive: true, encoding: 'utf8' }).sort()).toEqual(before);
    expect(before).toContain(older);
  });
});

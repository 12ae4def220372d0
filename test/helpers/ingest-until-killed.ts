/**
 * Run as a child process by store/commit-generation.e2e.test.ts: ingests a folder and kills itself
 * with SIGKILL (no clean-up of any kind) when the commit reaches the named step.
 * Usage: node --import tsx test/helpers/ingest-until-killed.ts <sourceDir> <indexDir> <step>
 */
import { ingestDocuments } from '../../ingest/ingest-documents.js';
import { LOCAL_IDENTITY, localEmbeddings } from './local-engine.js';

const [sourceDir, indexDir, killAt] = process.argv.slice(2);
await ingestDocuments({
  sourceDir,
  indexDir,
  embeddings: localEmbeddings(),
  embedder: LOCAL_IDENTITY,
  chunking: { chunkSize: 400, chunkOverlap: 80 },
  onCommitStep: (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
  },
});

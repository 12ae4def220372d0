import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildLocalIndex, localEmbeddings, temporaryDir } from '../test/helpers/local-engine.js';
import { CONTRACT_CHUNKING, CONTRACT_DOCUMENTS, describePassageStoreContract } from '../test/passage-store-contract.js';

describePassageStoreContract('local hnswlib + BM25 index, ingested from files', async () => {
  const folder = temporaryDir();
  for (const document of CONTRACT_DOCUMENTS) {
    mkdirSync(dirname(join(folder, document.docId)), { recursive: true });
    writeFileSync(join(folder, document.docId), document.text);
  }
  return { store: await buildLocalIndex(folder, CONTRACT_CHUNKING), embed: (text: string) => localEmbeddings().embedQuery(text) };
});

import { HashingEmbeddings } from './hashing-embeddings.js';
import { CONTRACT_CHUNKING, CONTRACT_DOCUMENTS, describePassageStoreContract } from '../passage-store-contract.js';
import { InMemoryPassageStore } from './in-memory-passage-store.js';

describePassageStoreContract('in-memory fake', async () => ({
  store: await InMemoryPassageStore.fromDocuments(CONTRACT_DOCUMENTS, CONTRACT_CHUNKING),
  embed: (text: string) => new HashingEmbeddings().embedQuery(text),
}));

import { CONTRACT_CHUNKING, CONTRACT_DOCUMENTS, describePassageStoreContract } from '../passage-store-contract.js';
import { InMemoryPassageStore } from './in-memory-passage-store.js';

describePassageStoreContract('in-memory fake', () => InMemoryPassageStore.fromDocuments(CONTRACT_DOCUMENTS, CONTRACT_CHUNKING));

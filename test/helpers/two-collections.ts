import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineRegistry } from '../../runtime/engine-registry.js';
import { readCurrentGeneration } from '../../store/index-layout.js';
import type { SearchIndex } from '../../store/search-index.js';
import { CORPUS_DIR } from '../paths.js';
import { buildLocalIndexDir, localEngine, temporaryDir } from './local-engine.js';

/** Two document sets that share no document and no fact: a staff handbook and ops runbooks. */
export const COLLECTION_DOCS = {
  handbook: {
    'leave-policy.md':
      '# Leave policy\n\nEvery employee gets 27 days of paid leave a year. Unused leave days carry over until the end of March.\n\n' +
      "## Sick leave\n\nSick leave needs a doctor's note after three days away.\n",
    'office.md':
      '# The office\n\nThe Lisbon office opens at 8:15 and closes at 19:00. Visitors sign in at the front desk on the second floor.\n',
  },
  runbooks: {
    'billing-restart.md':
      '# Restarting billing\n\nThe billing service runs on host bravo-7. To restart it, run svc restart billing as the ops user, ' +
      'then check that the queue depth stays below 400.\n',
    'pager.md':
      '# Pager rotation\n\nThe pager rotation changes every Tuesday at 10:00. The secondary on call is paged after 15 minutes ' +
      'without an acknowledgement.\n',
  },
} as const;

/** A question each collection answers, the fact its answer must hold, and the document that holds it. */
export const COLLECTION_QUESTIONS = {
  handbook: { question: 'How many days of leave does every employee get a year?', fact: '27', docId: 'leave-policy.md' },
  runbooks: { question: 'Which host runs the billing service?', fact: 'bravo-7', docId: 'billing-restart.md' },
} as const;

export type CollectionName = keyof typeof COLLECTION_DOCS;

/** Writes each collection's documents into its own folder under a new temporary folder. */
export function writeCollectionFolders(root = temporaryDir()): Record<CollectionName, string> {
  const folders = {} as Record<CollectionName, string>;
  for (const [name, documents] of Object.entries(COLLECTION_DOCS) as [CollectionName, Record<string, string>][]) {
    folders[name] = join(root, name);
    mkdirSync(folders[name], { recursive: true });
    for (const [file, text] of Object.entries(documents)) writeFileSync(join(folders[name], file), text);
  }
  return folders;
}

/**
 * A registry of three collections with real local indexes: `default` (the bundled corpus),
 * `handbook` and `runbooks`; and `broken`, which could not be loaded (unavailable).
 */
export async function buildCollections(): Promise<{ registry: EngineRegistry; indexes: Record<string, SearchIndex> }> {
  const folders = writeCollectionFolders();
  const chunking = { chunkSize: 400, chunkOverlap: 80 };
  const built = {
    default: await buildLocalIndexDir(CORPUS_DIR),
    handbook: await buildLocalIndexDir(folders.handbook, chunking),
    runbooks: await buildLocalIndexDir(folders.runbooks, chunking),
  };
  const registry = new EngineRegistry(['default', 'handbook', 'runbooks', 'broken']);
  const indexes: Record<string, SearchIndex> = {};
  for (const [name, { index, indexDir }] of Object.entries(built)) {
    indexes[name] = index;
    registry.set(name, localEngine(index, { generation: (await readCurrentGeneration(indexDir)) ?? undefined }));
  }
  registry.markUnavailable('broken');
  return { registry, indexes };
}

import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_COLLECTION, isCollectionName } from '../config/collection-name.js';
import { collectionSpec, type CollectionSpec } from '../config/collection-spec.js';
import type { CollectionsFile } from '../config/load-collections-file.js';
import type { Config } from '../config/load-config.js';
import type { Database } from '../store/postgres/database-pool.js';
import { listDatabaseCollections } from '../store/postgres/read-generation.js';
import { UnknownCollectionError } from './unknown-collection-error.js';

/**
 * The collections a server has: `default` (INDEX_DIR, as before collections), those the
 * collections file lists, and those an ingest has written under COLLECTIONS_INDEX_DIR
 * (`npm run ingest -- FOLDER --collection NAME` needs no file). Read once at start: a collection
 * ingested later for the first time is served after a restart; new generations of every
 * collection are picked up while running. With STORE=postgres (`database` given) the ingested
 * collections are those the database holds a generation of.
 */
export async function listCollections(config: Config, file: CollectionsFile | undefined, database?: Database): Promise<CollectionSpec[]> {
  const listed = [DEFAULT_COLLECTION, ...(file?.collections.map((collection) => collection.name) ?? [])];
  const found = database
    ? (await listDatabaseCollections(database)).filter((name) => isCollectionName(name) && name !== DEFAULT_COLLECTION)
    : await ingestedCollections(resolve(config.COLLECTIONS_INDEX_DIR));
  const names = [...new Set([...listed, ...found.filter((name) => !listed.includes(name))])];
  return names.map((name) => collectionSpec(config, file, name));
}

/** The spec of one collection, as listCollections has it; UnknownCollectionError naming the others. */
export async function findCollection(
  config: Config,
  file: CollectionsFile | undefined,
  name: string,
  database?: Database,
): Promise<CollectionSpec> {
  const specs = await listCollections(config, file, database);
  const spec = specs.find((candidate) => candidate.name === name);
  if (!spec)
    throw new UnknownCollectionError(
      name,
      specs.map((candidate) => candidate.name),
    );
  return spec;
}

/** The folders under `root` named as collections, sorted (none when `root` is absent). */
async function ingestedCollections(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && isCollectionName(entry.name) && entry.name !== DEFAULT_COLLECTION)
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

import { join, resolve } from 'node:path';
import { DEFAULT_COLLECTION } from './collection-name.js';
import { ConfigError } from './config-error.js';
import type { CollectionsFile } from './load-collections-file.js';
import { configWith, type Config } from './load-config.js';

/** Everything needed to ingest, open and serve one collection. */
export interface CollectionSpec {
  name: string;
  /** Its settings: the environment's, with the collection's own (collections file) over them. */
  config: Config;
  /** Its index folder (absolute): INDEX_DIR for `default`, else `<COLLECTIONS_INDEX_DIR>/<name>` unless the file says. */
  indexDir: string;
  /** Its documents folder (absolute), when known: CORPUS_DIR for `default`, else the file's `folder`. */
  sourceDir?: string;
  /** Whether a served index must have been built from `sourceDir` (CORPUS_DIR set, a folder in the file, or REINGEST=auto). */
  requireSameSource: boolean;
  /** Where the collections file lists it, for messages; undefined when it does not. */
  listedAt?: string;
}

/**
 * The spec of collection `name` from the settings and the collections file. `default` is
 * today's index: INDEX_DIR, built from CORPUS_DIR, so a setup without collections is unchanged.
 * Any other name lives under COLLECTIONS_INDEX_DIR (nothing of the default's folder is moved,
 * and deleting the default's index folder to rebuild it cannot take the others with it).
 */
export function collectionSpec(config: Config, file: CollectionsFile | undefined, name: string): CollectionSpec {
  const entry = file?.collections.find((collection) => collection.name === name);
  const { config: own, problems } = configWith(config, entry?.settings ?? {});
  if (problems.length > 0) {
    throw new ConfigError(`Invalid settings for collection "${name}" (${entry?.at}):\n${problems.join('\n')}`);
  }
  if (name === DEFAULT_COLLECTION) {
    const corpusDir = resolve(config.CORPUS_DIR);
    if (entry?.folder && config.corpusDirSet && entry.folder !== corpusDir) {
      throw new ConfigError(
        `Invalid configuration:\n  CORPUS_DIR=${config.CORPUS_DIR} and the collections file (${entry.at}) give the default collection ` +
          `two folders (${corpusDir} and ${entry.folder}): set one of them.`,
      );
    }
    return {
      name,
      config: own,
      indexDir: entry?.index ?? resolve(config.INDEX_DIR),
      sourceDir: entry?.folder ?? corpusDir,
      requireSameSource: config.corpusDirSet || entry?.folder !== undefined || config.REINGEST === 'auto',
      listedAt: entry?.at,
    };
  }
  return {
    name,
    config: own,
    indexDir: entry?.index ?? resolve(join(config.COLLECTIONS_INDEX_DIR, name)),
    sourceDir: entry?.folder,
    requireSameSource: entry?.folder !== undefined,
    listedAt: entry?.at,
  };
}

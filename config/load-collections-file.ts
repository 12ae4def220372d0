import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { COLLECTION_NAME_RULE, isCollectionName } from './collection-name.js';
import { ConfigError } from './config-error.js';
import { COLLECTION_SETTINGS, parseCollectionSetting, type CollectionSetting } from './load-config.js';

/** One collection as the collections file lists it. */
export interface CollectionEntry {
  name: string;
  /** Its documents, resolved against the file's folder. */
  folder?: string;
  /** Its index folder, resolved against the file's folder (default: `<COLLECTIONS_INDEX_DIR>/<name>`, or INDEX_DIR for `default`). */
  index?: string;
  /** Its own settings over the environment's, each already checked. */
  settings: Partial<Record<CollectionSetting, unknown>>;
  /** Where it is written, for messages: `collections.yaml line 4`. */
  at: string;
}

/** Which collections each Slack channel may ask; channels not listed get `unlisted` (an empty list: none). */
export interface SlackChannelMap {
  unlisted: string[];
  channels: Record<string, string[]>;
  /** Where each list is written (`default` for `unlisted`), for messages. */
  at: Record<string, string>;
}

/** A collections file, read and checked. */
export interface CollectionsFile {
  file: string;
  collections: CollectionEntry[];
  slack?: SlackChannelMap;
}

/** One collection name, or a list of them (the first is the default). */
const names = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(z.string({ message: 'must be a collection name' }), { message: 'must be a collection name or a list of them' }),
);

const entry = z.preprocess(
  // `handbook: docs/handbook` is short for `handbook: {folder: docs/handbook}`.
  (value) => (typeof value === 'string' ? { folder: value } : value),
  z.strictObject(
    {
      folder: z.string({ message: 'must be a folder path' }).min(1, { message: 'must not be empty' }).optional(),
      index: z.string({ message: 'must be a folder path' }).min(1, { message: 'must not be empty' }).optional(),
      ...Object.fromEntries(COLLECTION_SETTINGS.map((name) => [name, z.unknown().optional()])),
    },
    { message: 'must be a folder path, or settings such as folder: and MIN_CONFIDENCE:' },
  ),
);

const fileSchema = z.strictObject(
  {
    collections: z.record(z.string(), entry, { message: 'must map each collection name to its folder or settings' }).default({}),
    slack: z
      .strictObject(
        {
          default: z.union([z.literal('none'), names]).optional(),
          channels: z.record(z.string(), names, { message: 'must map Slack channel ids to collections' }).optional(),
        },
        { message: 'must hold default: and channels:' },
      )
      .optional(),
  },
  { message: 'must hold collections: (and optionally slack:)' },
);

interface Problem {
  path: PropertyKey[];
  message: string;
  /** For an unknown key: the key, located by its own line. */
  key?: string;
}

/**
 * Reads a collections file (YAML, or JSON, which YAML reads too) and checks it: names, folders,
 * each setting as the environment's is checked, the Slack channel map. Every problem is one line
 * naming the line of the file it is on; ConfigError when there is any.
 */
export function loadCollectionsFile(file: string): CollectionsFile {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`COLLECTIONS_FILE=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (document.errors.length > 0) {
    const described = document.errors.map((error) => `  ${error.message.split('\n')[0].replace(/:$/, '')}`);
    throw new ConfigError(`Invalid collections file COLLECTIONS_FILE=${file}:\n${described.join('\n')}`);
  }
  const lineOf = (path: PropertyKey[], key?: string) => locate(document, lines, path, key);
  const parsed = fileSchema.safeParse(document.toJS() ?? {});
  const problems: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ path: issue.path, key, message: `unknown setting "${key}"` });
      } else problems.push({ path: issue.path, message: issue.message });
    }
    throw describe(file, problems, lineOf);
  }
  const base = dirname(path);
  const collections: CollectionEntry[] = [];
  for (const [name, options] of Object.entries(parsed.data.collections)) {
    const where = ['collections', name];
    if (!isCollectionName(name)) {
      problems.push({ path: ['collections'], key: name, message: `"${name}" is not a collection name (${COLLECTION_NAME_RULE})` });
    }
    const settings: CollectionEntry['settings'] = {};
    for (const setting of COLLECTION_SETTINGS) {
      const value = (options as Record<string, unknown>)[setting];
      if (value === undefined || value === null) continue;
      const checked = parseCollectionSetting(setting, value);
      if ('problem' in checked) problems.push({ path: [...where, setting], message: checked.problem });
      else settings[setting] = setting === 'CONFIDENCE_CALIBRATION' ? resolve(base, String(checked.value)) : checked.value;
    }
    collections.push({
      name,
      folder: options.folder === undefined ? undefined : resolve(base, options.folder),
      index: options.index === undefined ? undefined : resolve(base, options.index),
      settings,
      at: `${file} line ${lineOf(['collections'], name)}`,
    });
  }
  let slack: SlackChannelMap | undefined;
  if (parsed.data.slack) {
    const given = parsed.data.slack;
    slack = { unlisted: given.default === 'none' ? [] : (given.default ?? ['default']), channels: given.channels ?? {}, at: {} };
    slack.at.default = `${file} line ${lineOf(['slack', 'default'])}`;
    for (const channel of Object.keys(slack.channels)) slack.at[channel] = `${file} line ${lineOf(['slack', 'channels', channel])}`;
    for (const [channel, list] of [['default', slack.unlisted] as const, ...Object.entries(slack.channels)]) {
      const path = channel === 'default' ? ['slack', 'default'] : ['slack', 'channels', channel];
      if (list.length === 0 && channel !== 'default') problems.push({ path, message: 'must name at least one collection' });
      for (const name of list.filter((name) => !isCollectionName(name))) {
        problems.push({ path, message: `"${name}" is not a collection name (${COLLECTION_NAME_RULE})` });
      }
    }
  }
  if (problems.length > 0) throw describe(file, problems, lineOf);
  return { file, collections, slack };
}

function describe(file: string, problems: Problem[], lineOf: (path: PropertyKey[], key?: string) => number): ConfigError {
  const described = problems.map((problem) => {
    const path = [...problem.path, ...(problem.key !== undefined && !problem.message.includes(`"${problem.key}"`) ? [problem.key] : [])]
      .map(String)
      .join('.');
    return `  line ${lineOf(problem.path, problem.key)}: ${path ? `${path}: ` : ''}${problem.message}`;
  });
  return new ConfigError(`Invalid collections file COLLECTIONS_FILE=${file}:\n${described.join('\n')}`);
}

/** The line a path (or a key of the map at that path) is written on; the nearest written parent's when it is missing. */
function locate(document: Document, lines: LineCounter, path: PropertyKey[], key?: string): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true);
    if (depth === path.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lines.linePos(range[0]).line;
    }
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
  }
  return 1;
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { checkCollectionReferences } from './check-collection-references.js';
import { collectionSpec } from './collection-spec.js';
import { ConfigError } from './config-error.js';
import { loadCollectionsFile } from './load-collections-file.js';
import { loadConfig } from './load-config.js';

/** Writes `text` as a collections file in a fresh folder; returns its path. */
function fileWith(name: string, text: string): string {
  const path = join(temporaryDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('loadCollectionsFile', () => {
  it('reads YAML: folders relative to the file, per-collection settings checked as the environment is, the Slack map', () => {
    const path = fileWith(
      'collections.yaml',
      [
        'collections:',
        '  handbook:',
        '    folder: docs/handbook',
        '    CHUNK_SIZE: 800',
        '    MIN_CONFIDENCE: 0.4',
        '    CONFIDENCE_CALIBRATION: calibration/handbook.json',
        '  runbooks: docs/runbooks',
        'slack:',
        '  default: none',
        '  channels:',
        '    C0SUPPORT: runbooks',
        '    C0PEOPLE: [handbook, runbooks]',
        '',
      ].join('\n'),
    );
    const base = join(path, '..');
    const file = loadCollectionsFile(path);
    expect(file.collections).toEqual([
      {
        name: 'handbook',
        folder: join(base, 'docs/handbook'),
        index: undefined,
        settings: { CHUNK_SIZE: 800, MIN_CONFIDENCE: 0.4, CONFIDENCE_CALIBRATION: join(base, 'calibration/handbook.json') },
        at: `${path} line 2`,
      },
      { name: 'runbooks', folder: join(base, 'docs/runbooks'), index: undefined, settings: {}, at: `${path} line 7` },
    ]);
    expect(file.slack).toMatchObject({ unlisted: [], channels: { C0SUPPORT: ['runbooks'], C0PEOPLE: ['handbook', 'runbooks'] } });
  });

  it('reads the same from JSON', () => {
    const path = fileWith('collections.json', JSON.stringify({ collections: { handbook: { folder: 'h', TOP_K: 3 } } }, null, 2));
    expect(loadCollectionsFile(path).collections[0]).toMatchObject({ name: 'handbook', settings: { TOP_K: 3 } });
  });

  it('names the line of each problem: a bad value, an unknown setting, a bad name, a bad Slack entry', () => {
    const path = fileWith(
      'collections.yaml',
      [
        'collections:',
        '  handbook:',
        '    folder: docs/handbook',
        '    MIN_CONFIDENCE: 2',
        '    MIN_CONFIDANCE: 0.3',
        '  Bad Name: docs/x',
        '  runbooks:',
        '    EMBEDDINGS: bert',
        'slack:',
        '  channels:',
        '    C0SUPPORT: []',
        '',
      ].join('\n'),
    );
    const attempt = () => loadCollectionsFile(path);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`Invalid collections file COLLECTIONS_FILE=${path}:`);
    expect(attempt).toThrow(/line 5: collections\.handbook: unknown setting "MIN_CONFIDANCE"/);
    // Structure first, then values: a second file shows the value problems once the structure is right.
    const values = fileWith(
      'values.yaml',
      ['collections:', '  handbook:', '    MIN_CONFIDENCE: 2', '  Bad Name: docs/x', '  runbooks:', '    EMBEDDINGS: bert', ''].join('\n'),
    );
    const second = () => loadCollectionsFile(values);
    expect(second).toThrow(/line 3: collections\.handbook\.MIN_CONFIDENCE: must be between 0 and 1/);
    expect(second).toThrow(/line 4: collections: "Bad Name" is not a collection name/);
    expect(second).toThrow(/line 6: collections\.runbooks\.EMBEDDINGS: must be local or openai/);
    const slack = fileWith('slack.yaml', ['collections:', '  runbooks: r', 'slack:', '  channels:', '    C0SUPPORT: []', ''].join('\n'));
    expect(() => loadCollectionsFile(slack)).toThrow(/line 5: slack\.channels\.C0SUPPORT: must name at least one collection/);
  });

  it('names the line of a syntax error, and a file that cannot be read', () => {
    expect(() => loadCollectionsFile(fileWith('broken.yaml', 'collections:\n  a: [1\n  b: 2\n'))).toThrow(/at line \d+, column \d+/);
    expect(() => loadCollectionsFile(fileWith('broken.json', '{\n  "collections": {\n    "a": "x"\n    "b": "y"\n  }\n}\n'))).toThrow(
      /line 4/,
    );
    expect(() => loadCollectionsFile('/nonexistent/collections.yaml')).toThrow(
      /COLLECTIONS_FILE=\/nonexistent\/collections.yaml: cannot be read \(ENOENT\)/,
    );
  });
});

describe('collectionSpec', () => {
  const config = loadConfig({
    INDEX_DIR: '/srv/index',
    CORPUS_DIR: '/srv/docs',
    COLLECTIONS_INDEX_DIR: '/srv/collections',
    CHUNK_SIZE: '1000',
  });

  it('keeps the default collection where it was (INDEX_DIR, CORPUS_DIR), and puts the others under COLLECTIONS_INDEX_DIR', () => {
    expect(collectionSpec(config, undefined, 'default')).toMatchObject({
      indexDir: '/srv/index',
      sourceDir: '/srv/docs',
      requireSameSource: true,
    });
    expect(collectionSpec(loadConfig({}), undefined, 'default')).toMatchObject({ requireSameSource: false });
    expect(collectionSpec(config, undefined, 'ingested')).toMatchObject({
      indexDir: '/srv/collections/ingested',
      sourceDir: undefined,
      requireSameSource: false,
    });
  });

  it("applies a collection's own settings over the environment's, and refuses ones that cannot work together", () => {
    const path = fileWith(
      'collections.yaml',
      [
        'collections:',
        '  handbook:',
        '    folder: h',
        '    CHUNK_SIZE: 500',
        '    CHUNK_OVERLAP: 100',
        '  odd:',
        '    CHUNK_OVERLAP: 1200',
        '',
      ].join('\n'),
    );
    const file = loadCollectionsFile(path);
    const handbook = collectionSpec(config, file, 'handbook');
    expect(handbook.config).toMatchObject({ CHUNK_SIZE: 500, CHUNK_OVERLAP: 100, TOP_K: 5 });
    expect(handbook).toMatchObject({ sourceDir: join(path, '../h'), requireSameSource: true, listedAt: `${path} line 2` });
    expect(() => collectionSpec(config, file, 'odd')).toThrow(
      /collection "odd" \(.* line 6\):\n {2}CHUNK_OVERLAP=1200: must be smaller than CHUNK_SIZE/,
    );
  });

  it('refuses two folders for the default collection', () => {
    const file = loadCollectionsFile(fileWith('collections.yaml', 'collections:\n  default: elsewhere\n'));
    expect(() => collectionSpec(config, file, 'default')).toThrow(/CORPUS_DIR=\/srv\/docs and the collections file .* two folders/);
  });
});

describe('checkCollectionReferences', () => {
  it('refuses a scoped key or a Slack channel naming a collection the server does not have, without printing the key', () => {
    const config = loadConfig({ API_KEYS: 'k-one,sekrit:handbook|typo' });
    const file = loadCollectionsFile(
      fileWith('collections.yaml', 'collections:\n  handbook: h\nslack:\n  default: nope\n  channels:\n    C1: [handbook, gone]\n'),
    );
    const attempt = () => checkCollectionReferences(['default', 'handbook'], config, file);
    expect(attempt).toThrow(/API_KEYS entry 2 names the collection "typo", which this server does not have/);
    expect(attempt).toThrow(/slack\.default \(.* line 4\) names the collection "nope"/);
    expect(attempt).toThrow(/slack\.channels\.C1 \(.* line 6\) names the collection "gone"/);
    expect(attempt).not.toThrow(/sekrit/);
    expect(() => checkCollectionReferences(['default', 'handbook', 'typo', 'nope', 'gone'], config, file)).not.toThrow();
  });
});

import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../core/contracts/types.js';
import { startTestDatabase, type TestDatabase } from '../test/helpers/embedded-database.js';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { eventEnvelope, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { runScript } from '../test/helpers/run-script.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';

/** Two server processes (replicas) on one embedded Postgres, as behind a load balancer. */
const api = new FakeSlackApi();
let test: TestDatabase;
let environment: Record<string, string>;
const replicas: ServerProcess[] = [];

/** A folder of documents that all name `label`, so a generation that mixed two shows at once. */
function labelledCorpus(label: string): string {
  const folder = join(temporaryDir(), label);
  mkdirSync(folder);
  for (let i = 0; i < 6; i++) {
    writeFileSync(
      join(folder, `${label}-${i}.md`),
      `# The ${label} depot ${i}\n\nThe ${label} depot ${i} opens at ${i + 6} am. ` + `It stores ${label} parts. `.repeat(30),
    );
  }
  return folder;
}

const ingest = (folder: string) => runScript('ingest/main.ts', [folder], environment);

beforeAll(async () => {
  test = await startTestDatabase();
  await api.start();
  environment = {
    STORE: 'postgres',
    DATABASE_URL: test.embedded.url,
    DATABASE_POOL_SIZE: '3',
    // Long enough for both replicas to reload before the ingest after next removes what they answered from.
    DATABASE_GENERATION_GRACE_SECONDS: '60',
    CHUNK_SIZE: '400',
    CHUNK_OVERLAP: '50',
  };
  const first = await ingest(labelledCorpus('alpha'));
  expect(first.code, first.err).toBe(0);
  expect(first.err).toMatch(/-> the database at 127\.0\.0\.1:\d+\/postgres, collection default/);
  for (let i = 0; i < 2; i++) {
    replicas.push(
      await startServerProcess(
        {
          ...environment,
          WORKERS: '1',
          INDEX_RELOAD_SECONDS: '1',
          RATE_LIMIT_PER_MINUTE: '4',
          // Each request of the polling below comes from an address of its own; the limit is tested on one.
          TRUST_PROXY: 'loopback',
          SHUTDOWN_DRAIN_SECONDS: '1',
          SLACK_API_URL: `${api.url}/api/`,
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
        },
        (output) => output.includes('Open http'),
      ),
    );
  }
  await api.waitFor('auth.test', 2);
}, 120_000);

afterAll(async () => {
  for (const replica of replicas) replica.child.kill('SIGKILL');
  await api.stop();
  await test?.stop();
});

let client = 0;

/** One request on a connection of its own, from a client address of its own unless `from` is given. */
const fetchFrom = (
  replica: ServerProcess,
  path: string,
  init: RequestInit = {},
  from = `10.0.${Math.floor(++client / 250)}.${client % 250}`,
) =>
  fetch(`${replica.base}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), connection: 'close', 'X-Forwarded-For': from },
  });

/** The labels of the documents a replica lists: one label, unless a generation were mixed. */
async function labelsServed(replica: ServerProcess): Promise<string[]> {
  const { sources } = (await (await fetchFrom(replica, '/v1/sources')).json()) as { sources: { docId: string }[] };
  return [...new Set(sources.map((source) => source.docId.split('-')[0]))];
}

describe('two replicas on one database (STORE=postgres)', () => {
  it('serve an ingest committed through another process, each swapping the generation in whole: never a mix', async () => {
    for (const replica of replicas) expect(await labelsServed(replica)).toEqual(['alpha']);
    const seen = new Set<string>();
    let polling = true;
    // Both replicas are asked all through the ingest and the reload.
    const poll = (async () => {
      while (polling) {
        for (const replica of replicas) {
          const response = await fetchFrom(replica, '/v1/answer', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ question: 'When does depot 3 open?' }),
          });
          const body = await response.text();
          expect(response.status, `${body}\n${replica.output().slice(-3000)}`).toBe(200);
          const answer = JSON.parse(body) as Answer;
          const labels = new Set(answer.passages.map((passage) => passage.docId.split('-')[0]));
          expect(labels.size, JSON.stringify(answer.passages.map((passage) => passage.docId))).toBe(1);
          seen.add(`${answer.generation}:${[...labels][0]}`);
        }
      }
    })();
    const second = await ingest(labelledCorpus('beta'));
    expect(second.code, second.err).toBe(0);
    const generation = /index generation (g-\S+)\./.exec(second.out)![1];
    const deadline = Date.now() + 20_000;
    while ((await Promise.all(replicas.map(labelsServed))).flat().join() !== 'beta,beta') {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    polling = false;
    await poll;
    for (const replica of replicas) {
      const ready = (await (await fetchFrom(replica, '/readyz')).json()) as { generation: string };
      expect(ready.generation).toBe(generation);
    }
    // Every answer came from one generation's documents, each generation with its own label.
    const labelOf = new Map<string, string>();
    for (const entry of seen) {
      const [name, label] = entry.split(':');
      expect(labelOf.get(name) ?? label).toBe(label);
      labelOf.set(name, label);
    }
    expect([...new Set(labelOf.values())].sort()).toEqual(['alpha', 'beta']);
  }, 90_000);

  it('hold a client to one rate limit, whichever replica its requests reach', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetchFrom(replicas[i % 2], '/v1/collections', {}, '10.9.9.9')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
  });

  it('answer a Slack event once when it is delivered to both', async () => {
    const body = JSON.stringify(eventEnvelope(mention('<@UBOT> When does the beta depot 2 open?'), 'EvReplicas'));
    const now = Math.floor(Date.now() / 1000);
    const deliveries = await Promise.all(
      replicas.map((replica, i) =>
        fetchFrom(replica, '/slack/events', {
          method: 'POST',
          body,
          headers: { 'Content-Type': 'application/json', ...(i ? { 'X-Slack-Retry-Num': '1' } : {}), ...sign(body, now - i) },
        }),
      ),
    );
    expect(deliveries.map((response) => response.status)).toEqual([200, 200]);
    await api.waitFor('chat.postMessage', 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('drain on SIGTERM: /readyz says so while requests are still answered, then the process exits cleanly', async () => {
    const [, last] = replicas;
    last.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ready = await fetchFrom(last, '/readyz');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { status: string }).status).toBe('draining');
    expect((await fetchFrom(last, '/healthz')).status).toBe(200);
    const [code] = await once(last.child, 'exit');
    expect(code).toBe(0);
    expect(last.output()).toContain('Verbatim stopped cleanly (SIGTERM).');
  });
});

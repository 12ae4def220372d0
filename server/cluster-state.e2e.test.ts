import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { eventEnvelope, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { buildLocalIndexDir, temporaryDir } from '../test/helpers/local-engine.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { CORPUS_DIR } from '../test/paths.js';

const api = new FakeSlackApi();
let server: ChildProcess;
let base: string;
let output: () => string;

/** One request on a connection of its own: the cluster's primary hands connections to the workers in turn. */
const fetchAlone = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), connection: 'close' } });

beforeAll(async () => {
  await api.start();
  const { indexDir } = await buildLocalIndexDir(CORPUS_DIR);
  const started = await startServerProcess(
    {
      WORKERS: '2',
      INDEX_DIR: indexDir,
      RATE_LIMIT_PER_MINUTE: '4',
      FEEDBACK_FILE: join(temporaryDir(), 'feedback.jsonl'),
      SLACK_API_URL: `${api.url}/api/`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    },
    // The primary says so once both workers have loaded the index.
    (output) => output.includes('All 2 workers are serving.'),
  );
  server = started.child;
  base = started.base;
  output = started.output;
  await api.waitFor('auth.test', 2);
}, 90_000);

afterAll(async () => {
  server?.kill('SIGKILL');
  await api.stop();
});

describe('a server with two workers', () => {
  it('tells the person who started it once that it is ready, with one address', () => {
    expect(output().match(/Ready: /g)).toHaveLength(1);
    expect(output().match(/Open http:/g)).toHaveLength(1);
    expect(output()).toContain('Serving with 2 workers.');
  });

  it('holds a client to one rate limit, whichever worker its requests reach', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetchAlone('/v1/sources')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
  });

  it('answers a Slack event once when its retry reaches the other worker', async () => {
    const body = JSON.stringify(eventEnvelope(mention('<@UBOT> How many GPUs will South Korea have?'), 'EvCluster1'));
    const now = Math.floor(Date.now() / 1000);
    const first = await fetchAlone('/slack/events', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...sign(body, now) },
    });
    // A retry is signed afresh (another timestamp), so only the event id tells it apart.
    const retry = await fetchAlone('/slack/events', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', 'X-Slack-Retry-Num': '1', ...sign(body, now - 1) },
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await api.waitFor('chat.postMessage', 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { eventEnvelope, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { buildLocalIndexDir, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR, ROOT, TEST_WORD_VECTORS } from '../test/paths.js';

const api = new FakeSlackApi();
let server: ChildProcess;
let base: string;

/** One request on a connection of its own: the cluster's primary hands connections to the workers in turn. */
const fetchAlone = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), connection: 'close' } });

beforeAll(async () => {
  await api.start();
  const { indexDir } = await buildLocalIndexDir(CORPUS_DIR);
  server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      ENV_FILE: 'none',
      PORT: '0',
      HOST: '127.0.0.1',
      WORKERS: '2',
      INDEX_DIR: indexDir,
      INDEX_RELOAD_SECONDS: '0',
      RATE_LIMIT_PER_MINUTE: '4',
      WORD_VECTORS_CACHE: TEST_WORD_VECTORS,
      FEEDBACK_FILE: join(temporaryDir(), 'feedback.jsonl'),
      SLACK_API_URL: `${api.url}/api/`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    },
  });
  let output = '';
  server.stdout!.on('data', (chunk) => (output += chunk));
  server.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  // Both workers print their Ready line once their index is loaded.
  while ((output.match(/Ready: /g) ?? []).length < 2) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`the server did not get ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  base = /Open (http:\/\/\S+)/.exec(output)![1].replace('localhost', '127.0.0.1');
  await api.waitFor('auth.test', 2);
}, 90_000);

afterAll(async () => {
  server?.kill('SIGKILL');
  await api.stop();
});

describe('a server with two workers', () => {
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

import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { eventEnvelope, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { startServerProcess } from '../test/helpers/server-process.js';
import { CORPUS_DIR } from '../test/paths.js';

const api = new FakeSlackApi();
const children: ChildProcess[] = [];

beforeAll(async () => {
  await api.start();
  // Slack's answer to a wrong or revoked token.
  api.replies['auth.test xoxb-revoked'] = { ok: false, error: 'invalid_auth' };
  api.replies['apps.connections.open'] = { ok: false, error: 'invalid_auth' };
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await api.stop();
});

/** Starts the server exactly as `npm start` does, and waits until its index is loaded and Slack has given up. */
async function startServer(slackEnv: Record<string, string>) {
  const dir = temporaryDir();
  const server = await startServerProcess(
    {
      INDEX_DIR: join(dir, 'index'),
      CORPUS_DIR,
      FEEDBACK_FILE: join(dir, 'feedback.jsonl'),
      SLACK_API_URL: `${api.url}/api/`,
      ...slackEnv,
    },
    (output) => /Ready: /.test(output) && /Slack is turned off/.test(output),
  );
  children.push(server.child);
  return server;
}

async function ask(base: string) {
  const response = await fetch(`${base}/v1/answer`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question: 'How many high-performance GPUs will South Korea have?' }),
  });
  return { status: response.status, body: (await response.json()) as { answer: string; citations: { verified: boolean }[] } };
}

describe('a server started with a bad Slack token', () => {
  it('(HTTP endpoint) logs one clear line, keeps the page and API serving, and answers Slack 503', async () => {
    const server = await startServer({ SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const { status, body } = await ask(server.base);
    expect(status).toBe(200);
    expect(body.answer).toContain('300,000');
    expect(body.citations.every((citation) => citation.verified)).toBe(true);
    expect((await fetch(`${server.base}/`)).status).toBe(200);

    const slackBody = JSON.stringify(eventEnvelope(mention('<@UBOT> hi')));
    const slackResponse = await fetch(`${server.base}/slack/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...sign(slackBody) },
      body: slackBody,
    });
    expect(slackResponse.status).toBe(503);
    expect(((await slackResponse.json()) as { error: { message: string } }).error.message).toBe(
      'The Slack app is turned off: SLACK_BOT_TOKEN was refused (Slack answered "invalid_auth")',
    );

    expect(server.output()).toContain(
      'Slack is turned off: SLACK_BOT_TOKEN was refused (Slack answered \\"invalid_auth\\"). The chat page and API keep serving',
    );
    // No stack trace, and the process is still running.
    expect(server.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(server.child.exitCode).toBeNull();
  });

  it('(Socket Mode) logs one clear line and keeps the page and API serving', async () => {
    const server = await startServer({ SLACK_BOT_TOKEN: 'xoxb-good', SLACK_APP_TOKEN: 'xapp-revoked' });
    expect((await ask(server.base)).status).toBe(200);
    expect(server.output()).toContain('Slack is turned off: SLACK_APP_TOKEN was refused (Slack answered \\"invalid_auth\\")');
    expect(server.output()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(server.child.exitCode).toBeNull();
  });
});

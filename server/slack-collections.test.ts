import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineRegistry } from '../runtime/engine-registry.js';
import { createSlack, type Slack } from '../slack/create-slack.js';
import { FeedbackStore } from '../slack/feedback-store.js';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { commandFields, eventEnvelope, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { temporaryDir } from '../test/helpers/local-engine.js';
import { buildCollections, COLLECTION_QUESTIONS } from '../test/helpers/two-collections.js';
import { createApp } from './create-app.js';
import { pickSlackEngine } from './pick-slack-engine.js';

const slack = new FakeSlackApi();
let registry: EngineRegistry;
let server: Server;
let base: string;
let app: Slack;

beforeAll(async () => {
  const apiUrl = await slack.start();
  ({ registry } = await buildCollections());
  // The collections file's `slack:` map: C1 asks the handbook only; C2 the runbooks first, and the handbook when named; others nothing.
  const map = { unlisted: [], channels: { C1: ['handbook'], C2: ['runbooks', 'handbook'] }, at: {} };
  app = createSlack({
    signingSecret: SIGNING_SECRET,
    botToken: 'xoxb-test',
    apiUrl,
    pickEngine: pickSlackEngine(registry, map),
    feedback: new FeedbackStore(join(temporaryDir(), 'feedback.jsonl')),
    limits: { maxQuestionChars: 2000, maxHistoryTurns: 10 },
    commandVisibility: 'ephemeral',
    rateLimitPerMinute: 0,
    logger: pino({ level: 'silent' }),
  });
  await app.start();
  server = createApp({
    collections: registry,
    limits: { maxQuestionChars: 2000, maxHistoryTurns: 20 },
    extraRouters: [app.router!],
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await app?.stop();
  await slack.stop();
});
beforeEach(() => {
  slack.calls.length = 0;
});

let responses = 0;
async function post(body: string, contentType: string) {
  return fetch(`${base}/slack/events`, { method: 'POST', headers: { 'Content-Type': contentType, ...sign(body) }, body });
}
async function command(text: string, channel: string): Promise<string> {
  const url = `${slack.url}/respond/c${++responses}`;
  await post(new URLSearchParams(commandFields(text, url, { channel_id: channel })).toString(), 'application/x-www-form-urlencoded');
  const [responded] = await slack.waitFor(`respond/c${responses}`);
  return String(responded.body.text);
}
async function mentionIn(channel: string, question: string, ts: string): Promise<string> {
  await post(JSON.stringify(eventEnvelope(mention(`<@UBOT> ${question}`, { channel, ts }))), 'application/json');
  const [posted] = await slack.waitFor('chat.postMessage');
  return String(posted.body.text);
}

describe('Slack with a channel → collection map', () => {
  it("answers a mention from the channel's collection only", async () => {
    expect(await mentionIn('C1', COLLECTION_QUESTIONS.handbook.question, '700.1')).toContain('27 days');
    slack.calls.length = 0;
    // The runbooks' question in the handbook's channel is not answered from the runbooks.
    expect(await mentionIn('C1', COLLECTION_QUESTIONS.runbooks.question, '700.2')).not.toContain('bravo-7');
  });

  it('lets the slash command name one of the channel’s collections with in:NAME, and refuses any other', async () => {
    expect(await command(COLLECTION_QUESTIONS.runbooks.question, 'C2')).toContain('bravo-7');
    expect(await command(`in:handbook ${COLLECTION_QUESTIONS.handbook.question}`, 'C2')).toContain('27 days');
    expect(await command(`in:runbooks ${COLLECTION_QUESTIONS.runbooks.question}`, 'C1')).toBe(
      'Sorry, I could not answer that: This Slack channel may not read the collection "runbooks"; it may read: handbook.',
    );
    expect(await command(`in:default What is this about?`, 'C2')).toMatch(/may not read the collection "default"/);
    expect(await command('in:handbook', 'C2')).toBe('Usage: /ask [in:collection] your question');
  });

  it('refuses a channel the map does not list when its default is none', async () => {
    expect(await mentionIn('C9', COLLECTION_QUESTIONS.handbook.question, '700.3')).toBe(
      'Sorry, I could not answer that: This Slack channel may not read any collection.',
    );
  });
});

describe('pickSlackEngine without a map', () => {
  it('reads the default collection, or the one a command names', async () => {
    const pick = pickSlackEngine(registry, undefined);
    expect(pick({ channel: 'C1' })).toBe(registry.resolve('default'));
    expect(pick({ channel: 'C1', named: 'runbooks' })).toBe(registry.resolve('runbooks'));
    expect(() => pick({ channel: 'C1', named: 'nope' })).toThrow(/There is no collection "nope"/);
  });
});

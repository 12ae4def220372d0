import { readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import { ModelUnavailableError } from '../core/contracts/model-unavailable-error.js';
import { loadCases } from '../eval/load-cases.js';
import { createApp } from '../server/create-app.js';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { commandFields, eventEnvelope, feedbackPress, formPayload, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { buildLocalIndex, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { createSlack, type Slack } from './create-slack.js';
import { FeedbackStore, notHelpfulCases } from './feedback-store.js';

const slack = new FakeSlackApi();
const feedback = new FeedbackStore(join(temporaryDir(), 'feedback.jsonl'));
let server: Server;
let base: string;
let app: Slack;
let failNext = false;

beforeAll(async () => {
  const apiUrl = await slack.start();
  const engine = localEngine(await buildLocalIndex(CORPUS_DIR));
  const failing: Engine = {
    ...engine,
    answer: (input) => {
      if (!failNext) return engine.answer(input);
      failNext = false;
      throw new ModelUnavailableError('the model is unavailable (simulated)');
    },
  };
  app = createSlack({
    signingSecret: SIGNING_SECRET,
    botToken: 'xoxb-test',
    apiUrl,
    engine: failing,
    feedback,
    limits: { maxQuestionChars: 2000, maxHistoryTurns: 10 },
    commandVisibility: 'in_channel',
    rateLimitPerMinute: 0,
    logger: pino({ level: 'silent' }),
  });
  await app.start();
  server = createApp({ engine: engine, limits: { maxQuestionChars: 2000, maxHistoryTurns: 20 }, extraRouters: [app.router!] }).listen(
    0,
    '127.0.0.1',
  );
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
  slack.threadMessages = [];
});

async function post(body: string, contentType: string, headers: Record<string, string> = sign(body)) {
  return fetch(`${base}/slack/events`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body });
}

const eventBody = (event: Record<string, unknown>, eventId?: string) => JSON.stringify(eventEnvelope(event, eventId));
const textOf = (call: { body: Record<string, unknown> }) => String(call.body.text);

describe('Slack app', () => {
  it('answers a mention in its thread with cited quotes and feedback buttons', async () => {
    const response = await post(eventBody(mention('<@UBOT> Which ministry launched the Physical AI Global Alliance?')), 'application/json');
    expect(response.status).toBe(200);
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(posted.body).toMatchObject({ channel: 'C1', thread_ts: '100.1' });
    expect(textOf(posted)).toContain('the Ministry of Science and ICT launched the Physical AI Global Alliance');
    const blocks = posted.body.blocks as { type: string; text?: { text: string }; elements?: { action_id: string }[] }[];
    expect(
      blocks.some((b) => b.text?.text.startsWith('*[1]* _south-korea-physical-ai_ · south-korea-physical-ai.txt\n> To accelerate')),
    ).toBe(true);
    expect(blocks.at(-1)!.elements!.map((e) => e.action_id)).toEqual(['feedback_helpful', 'feedback_not_helpful']);
  });

  it('uses the thread’s earlier messages as history for a follow-up', async () => {
    slack.threadMessages = [
      { ts: '200.1', user: 'U1', text: '<@UBOT> Who did President Lee Jae Myung meet on Friday?' },
      { ts: '200.2', user: 'UBOT', bot_id: 'BBOT', text: 'He met Nvidia Chief Executive Jensen Huang [1].' },
      { ts: '200.3', user: 'U1', text: '<@UBOT> Which companies did they pledge to work with?' },
    ];
    await post(
      eventBody(mention('<@UBOT> Which companies did they pledge to work with?', { ts: '200.3', thread_ts: '200.1' })),
      'application/json',
    );
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(slack.callsTo('conversations.replies')[0].body).toMatchObject({ channel: 'C1', ts: '200.1' });
    expect(posted.body.thread_ts).toBe('200.1');
    expect(textOf(posted)).toContain('Samsung Electronics');
  });

  it('answers a direct message', async () => {
    await post(
      eventBody({ type: 'message', channel_type: 'im', user: 'U1', channel: 'D1', text: 'Who is Ha Jung-woo?', ts: '300.1' }),
      'application/json',
    );
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(posted.body).toMatchObject({ channel: 'D1', thread_ts: '300.1' });
    expect(textOf(posted)).toContain('former head of AI research at Naver');
  });

  it('says "not in the sources" with the closest passages', async () => {
    await post(eventBody(mention('<@UBOT> When will the GPUs be delivered?')), 'application/json');
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(textOf(posted)).toMatch(/^Not in the sources\./);
    expect(JSON.stringify(posted.body.blocks)).toContain('Closest passages');
  });

  it('acks a slash command at once and answers through response_url', async () => {
    const body = new URLSearchParams(
      commandFields('Which industries make up South Korea’s manufacturing base?', `${slack.url}/respond/1`),
    ).toString();
    const response = await post(body, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { text: string }).text).toMatch(/^Looking that up/);
    const [responded] = await slack.waitFor('respond/1');
    expect(responded.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(responded)).toContain('cars, chips, ships, robots and defense equipment');
    // The reply says who can see it.
    expect(JSON.stringify(responded.body.blocks)).toContain('Visible to everyone in this channel: <@U1> asked with /ask.');
  });

  it('rejects bad and stale signatures with 401 and does no work', async () => {
    const body = eventBody(mention('<@UBOT> Who is Ha Jung-woo?'));
    expect((await post(body, 'application/json', sign(body, undefined, 'wrong-secret'))).status).toBe(401);
    expect((await post(body, 'application/json', sign(body, Math.floor(Date.now() / 1000) - 6 * 60))).status).toBe(401);
    expect((await post(body, 'application/json', {})).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
  });

  it('answers an event once when Slack retries it', async () => {
    const body = eventBody(mention('<@UBOT> Who is Ha Jung-woo?', { ts: '400.1' }), 'EvRetried');
    await post(body, 'application/json');
    // A retry is signed afresh (another timestamp), so only the event id tells it apart.
    await post(body, 'application/json', {
      ...sign(body, Math.floor(Date.now() / 1000) - 1),
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
    });
    await slack.waitFor('chat.postMessage');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('tells the user when answering fails instead of staying silent', async () => {
    failNext = true;
    await post(eventBody(mention('<@UBOT> Who is Ha Jung-woo?', { ts: '500.1' })), 'application/json');
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(textOf(posted)).toBe('Sorry, I could not answer that: the model is unavailable (simulated)');
  });

  it('applies the one input contract: a question over the length limit is refused with its reason, never answered', async () => {
    await post(eventBody(mention(`<@UBOT> ${'why '.repeat(600)}?`, { ts: '600.1' })), 'application/json');
    const [posted] = await slack.waitFor('chat.postMessage');
    expect(textOf(posted)).toBe('Sorry, I could not answer that: question: must be at most 2000 characters');
  });

  it('records feedback presses and exports the "not helpful" ones as eval cases', async () => {
    const press = (actionId: string, answerId: string) => formPayload(feedbackPress(actionId, answerId, `${slack.url}/respond/feedback`));
    for (const [action, id] of [
      ['feedback_not_helpful', 'ans_bad'],
      ['feedback_helpful', 'ans_good'],
      ['feedback_not_helpful', 'ans_changed'],
      ['feedback_helpful', 'ans_changed'],
    ]) {
      const body = press(action, id);
      expect((await post(body, 'application/x-www-form-urlencoded')).status).toBe(200);
    }
    await slack.waitFor('respond/feedback', 4);
    const records = await feedback.readAll();
    expect(records.map((r) => [r.vote, r.answerId])).toEqual([
      ['not_helpful', 'ans_bad'],
      ['helpful', 'ans_good'],
      ['not_helpful', 'ans_changed'],
      ['helpful', 'ans_changed'],
    ]);
    expect(records[0]).toMatchObject({
      question: 'What is the budget?',
      answer: 'The answer that was shown [1]',
      user: 'U9',
      channel: 'C1',
    });

    const exported = notHelpfulCases(records);
    expect(exported.map((c) => c.id)).toEqual(['feedback-ans_bad']);
    const file = join(temporaryDir(), 'review.jsonl');
    writeFileSync(file, exported.map((c) => JSON.stringify(c)).join('\n'));
    const [testCase] = await loadCases(file);
    expect(testCase).toMatchObject({ id: 'feedback-ans_bad', question: 'What is the budget?' });
    expect(readFileSync(feedback.file, 'utf8').trim().split('\n')).toHaveLength(4);
  });
});

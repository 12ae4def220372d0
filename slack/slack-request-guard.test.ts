import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../core/engine.js';
import { createApp } from '../server/create-app.js';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { commandFields, eventEnvelope, feedbackPress, formPayload, mention, sign, SIGNING_SECRET } from '../test/fakes/slack-requests.js';
import { buildLocalIndex, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { createSlack, type Slack } from './create-slack.js';
import { FeedbackStore } from './feedback-store.js';

const api = new FakeSlackApi();
let engine: Engine;
const questions: string[] = [];
const logLines: Record<string, unknown>[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const servers: { server: Server; slack: Slack }[] = [];

/** A server with the Slack app in HTTP mode; its feedback file and log lines are the test's to read. */
async function startSlackServer(rateLimitPerMinute: number, botToken = 'xoxb-test') {
  const feedback = new FeedbackStore(join(temporaryDir(), 'feedback.jsonl'));
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  const slack = createSlack({
    signingSecret: SIGNING_SECRET,
    botToken,
    apiUrl: `${api.url}/api/`,
    feedback,
    limits: { maxQuestionChars: 2000, maxHistoryTurns: 10 },
    commandVisibility: 'ephemeral',
    rateLimitPerMinute,
    logger,
    engine: {
      ...engine,
      answer: (input) => {
        questions.push(input.question);
        return engine.answer(input);
      },
    },
  });
  await slack.start();
  const server = createApp({
    engine: engine,
    limits: { maxQuestionChars: 2000, maxHistoryTurns: 20 },
    extraRouters: [slack.router!],
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push({ server, slack });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (body: string, contentType: string, headers: Record<string, string> = sign(body)) =>
    fetch(`${base}/slack/events`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body });
  return { post, feedback, slack };
}

let open: Awaited<ReturnType<typeof startSlackServer>>;

beforeAll(async () => {
  await api.start();
  engine = localEngine(await buildLocalIndex(CORPUS_DIR));
  open = await startSlackServer(10_000);
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  for (const { server, slack } of servers) {
    server.close();
    await slack.stop();
  }
  await api.stop();
});
beforeEach(() => {
  api.calls.length = 0;
  questions.length = 0;
  logLines.length = 0;
});

// Long enough for a handler that (wrongly) ran after the ack to have called Slack or logged.
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
const json = 'application/json';
const form = 'application/x-www-form-urlencoded';
// Never called: these requests are refused before anything answers.
const respondUrl = () => 'http://127.0.0.1:9/respond/guard';
const command = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const omit = (fields: Record<string, string>, key: string) => Object.fromEntries(Object.entries(fields).filter(([name]) => name !== key));
const press = (changes: Record<string, unknown>) =>
  formPayload({ ...feedbackPress('feedback_helpful', 'ans_1', respondUrl()), ...changes });
const pressValue = (value: string) => formPayload(feedbackPress('feedback_helpful', 'ans_1', respondUrl(), value));
const event = (changes: Record<string, unknown>) => JSON.stringify(eventEnvelope(mention('<@UBOT> Who is Ha Jung-woo?', changes)));

describe('Slack request guard', () => {
  // Each body is correctly signed: only its content is wrong.
  const malformed: [string, string, string, RegExp][] = [
    ['a body that is not JSON', '{"type":"event_callback",', json, /not valid JSON/],
    ['a payload field that is not JSON', 'payload=%7Bnot%20json', form, /not valid JSON/],
    ['JSON null', 'null', json, /must be a JSON object/],
    ['a JSON array', '[{"type":"event_callback"}]', json, /must be a JSON object/],
    ['an interactive payload that is a number', 'payload=42', form, /must be a JSON object/],
    [
      'two payload fields',
      `${formPayload({ type: 'block_actions' })}&${formPayload({ type: 'block_actions' })}`,
      form,
      /unsupported payload/,
    ],
    ['an unknown payload type', JSON.stringify({ type: 'surprise', team_id: 'T1' }), json, /unsupported payload type "surprise"/],
    ['an event envelope without event_id', JSON.stringify({ ...eventEnvelope(mention('hi')), event_id: undefined }), json, /event_id/],
    ['an event that is a string', JSON.stringify({ ...eventEnvelope(mention('hi')), event: 'app_mention' }), json, /event/],
    ['a mention whose text is a number', event({ text: 123 }), json, /event\.text/],
    ['a mention without a channel', event({ channel: undefined }), json, /event\.channel/],
    ['a mention whose channel is a number', event({ channel: 5 }), json, /event\.channel/],
    ['a mention whose item is not an object', event({ item: 5 }), json, /event\.item/],
    ['authorizations holding null', JSON.stringify({ ...eventEnvelope(mention('hi')), authorizations: [null] }), json, /authorizations\.0/],
    ['a command without text', command(omit(commandFields('x', respondUrl()), 'text')), form, /text/],
    ['a command with its text given twice', `${command(commandFields('a', respondUrl()))}&text=b`, form, /text/],
    ['a command whose response_url is not a URL', command(commandFields('Who is Ha Jung-woo?', 'not a url')), form, /response_url/],
    ['a command name that is not a slash command', command(commandFields('hi', respondUrl(), { command: 'ask' })), form, /command/],
    ['a button value that is not JSON', pressValue('{"a": "ans_1"'), form, /actions\.0\.value/],
    ['a button value of the wrong shape', pressValue('{"a": 5, "q": ["x"]}'), form, /actions\.0\.value/],
    ['a press without a user', press({ user: undefined }), form, /user/],
    ['a press whose user id is a number', press({ user: { id: 7 } }), form, /user\.id/],
    ['a press with no action', press({ actions: [] }), form, /actions/],
    ['a press whose actions are an object', press({ actions: { action_id: 'feedback_helpful' } }), form, /actions/],
    [
      'a press of a button this app never made',
      press({ actions: [{ action_id: 'delete_everything', value: '{}' }] }),
      form,
      /actions\.0\.action_id/,
    ],
    ['a press without a response_url', press({ response_url: undefined }), form, /response_url/],
  ];

  it.each(malformed)('answers 400, before any ack, to %s', async (_name, body, contentType, problem) => {
    const lines = (await open.feedback.readAll()).length;
    const response = await open.post(body, contentType);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toMatch(/^(malformed|invalid)_payload$/);
    expect(error.message).toMatch(problem);
    await settle();
    // Nothing ran: no answer, no Slack call, no feedback line, no error after the fact.
    expect(questions).toEqual([]);
    expect(api.calls).toEqual([]);
    expect(await open.feedback.readAll()).toHaveLength(lines);
    expect(logLines.filter((line) => (line.level as number) >= 50)).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('still answers well-formed requests and ignores event types it does not handle', async () => {
    expect((await open.post(event({ ts: '700.1' }), json)).status).toBe(200);
    await api.waitFor('chat.postMessage');
    const reaction = JSON.stringify(
      eventEnvelope({ type: 'reaction_added', user: 'U1', item: { type: 'message', channel: 'C1', ts: '1.1' } }),
    );
    expect((await open.post(reaction, json)).status).toBe(200);
    const verification = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    expect(await (await open.post(verification, json)).json()).toEqual({ challenge: 'c-123' });
    await settle();
    expect(questions).toEqual(['Who is Ha Jung-woo?']);
  });

  it('refuses a signature whose timestamp is more than five minutes ahead', async () => {
    const body = event({ ts: '710.1' });
    const response = await open.post(body, json, sign(body, Math.floor(Date.now() / 1000) + 6 * 60));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    await settle();
    expect(questions).toEqual([]);
  });

  it('answers a replayed command, event or feedback press once', async () => {
    const commandBody = command(commandFields('Who is Ha Jung-woo?', `${api.url}/respond/replayed`));
    const eventBody = event({ ts: '720.1' });
    const pressBody = formPayload(feedbackPress('feedback_not_helpful', 'ans_replayed', `${api.url}/respond/replayed-press`));
    for (const [body, contentType] of [
      [commandBody, form],
      [eventBody, json],
      [pressBody, form],
    ]) {
      const headers = sign(body);
      // The captured request, sent again three times inside the five-minute window.
      for (let attempt = 0; attempt < 4; attempt++) expect((await open.post(body, contentType, headers)).status).toBe(200);
    }
    await api.waitFor('respond/replayed');
    await api.waitFor('chat.postMessage');
    await api.waitFor('respond/replayed-press');
    await settle();
    expect(questions).toEqual(['Who is Ha Jung-woo?', 'Who is Ha Jung-woo?']);
    expect(api.callsTo('respond/replayed')).toHaveLength(1);
    expect(api.callsTo('chat.postMessage')).toHaveLength(1);
    expect((await open.feedback.readAll()).filter((record) => record.answerId === 'ans_replayed')).toHaveLength(1);
    expect(logLines.filter((line) => line.msg === 'ignored a replayed Slack request')).toHaveLength(9);
  });

  it('limits each workspace: events get 429 with Retry-After, commands a message the user sees', async () => {
    const limited = await startSlackServer(3);
    const teamEvent = (team: string, n: number) =>
      JSON.stringify({ ...eventEnvelope({ type: 'reaction_added', user: 'U1' }), team_id: team, event_id: `EvRate${team}${n}` });
    for (let n = 0; n < 3; n++) expect((await limited.post(teamEvent('T1', n), json)).status).toBe(200);
    const refused = await limited.post(teamEvent('T1', 3), json);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    const commandResponse = await limited.post(command(commandFields('Who is Ha Jung-woo?', respondUrl())), form);
    expect(commandResponse.status).toBe(200);
    expect(((await commandResponse.json()) as { text: string }).text).toMatch(
      /^Too many questions from this workspace right now; try again in \d+ seconds\.$/,
    );
    // Another workspace has its own budget.
    expect((await limited.post(teamEvent('T2', 0), json)).status).toBe(200);
    await settle();
    expect(questions).toEqual([]);
  });

  it('turns Slack off when Slack refuses the bot token while answering (revoked after start)', async () => {
    const revoked = await startSlackServer(0, 'xoxb-revoked-later');
    api.replies['chat.postMessage xoxb-revoked-later'] = { ok: false, error: 'token_revoked' };
    expect((await revoked.post(event({ ts: '900.1' }), json)).status).toBe(200);
    const deadline = Date.now() + 5000;
    while (revoked.slack.status().state !== 'off' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(revoked.slack.status()).toEqual({
      state: 'off',
      reason: 'Slack refused SLACK_BOT_TOKEN while answering (Slack answered "token_revoked"); it may have been revoked',
    });
    const next = await revoked.post(event({ ts: '900.2' }), json);
    expect(next.status).toBe(503);
    expect(unhandled).toEqual([]);
  });
});

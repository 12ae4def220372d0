import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { FakeSlackSocket } from '../test/fakes/fake-slack-socket.js';
import { commandFields, eventEnvelope, feedbackPress, mention } from '../test/fakes/slack-requests.js';
import { buildLocalIndex, localEngine, temporaryDir } from '../test/helpers/local-engine.js';
import { CORPUS_DIR } from '../test/paths.js';
import { createSlack, type Slack } from './create-slack.js';
import { FeedbackStore } from './feedback-store.js';
import type { Engine } from '../core/engine.js';

const api = new FakeSlackApi();
let socket: FakeSlackSocket;
let engine: Engine;
const logLines: { level: number; msg: string }[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const started: Slack[] = [];

const until = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

function startSocketSlack(appToken: string) {
  const slack = createSlack({
    botToken: 'xoxb-test',
    appToken,
    apiUrl: `${api.url}/api/`,
    feedback: new FeedbackStore(join(temporaryDir(), 'feedback.jsonl')),
    limits: { maxQuestionChars: 2000, maxHistoryTurns: 10 },
    commandVisibility: 'ephemeral',
    rateLimitPerMinute: 60,
    maxRetryDelayMs: 200,
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) }),
    engine,
  });
  started.push(slack);
  return slack;
}

beforeAll(async () => {
  await api.start();
  socket = new FakeSlackSocket(api, 'xapp-test');
  engine = localEngine(await buildLocalIndex(CORPUS_DIR));
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  // One app connected at a time: the fake delivers each envelope to every open connection.
  for (const slack of started.splice(0)) await slack.stop();
  await until(() => socket.openConnections === 0, 'the connection to close');
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await socket.close();
  await api.stop();
});
beforeEach(() => {
  api.calls.length = 0;
  logLines.length = 0;
  socket.authorize('xapp-test');
});

describe('Slack over Socket Mode (no public URL)', () => {
  it('answers mentions, the slash command and feedback presses through the same handlers', async () => {
    const slack = startSocketSlack('xapp-test');
    await slack.start();
    expect(slack.status()).toEqual({ state: 'ready' });
    expect(slack.router).toBeNull();
    // Opened with the app-level token, not the bot token.
    expect(api.callsTo('apps.connections.open')).toHaveLength(1);

    const mentionAck = await socket.send(
      'events_api',
      eventEnvelope(mention('<@UBOT> Which ministry launched the Physical AI Global Alliance?', { ts: '800.1' })),
    );
    expect(mentionAck.envelope_id).toBeTruthy();
    const [posted] = await api.waitFor('chat.postMessage');
    expect(posted.body).toMatchObject({ channel: 'C1', thread_ts: '800.1' });
    expect(String(posted.body.text)).toContain('the Ministry of Science and ICT launched the Physical AI Global Alliance');

    const commandAck = await socket.send('slash_commands', commandFields('Who is Ha Jung-woo?', `${api.url}/respond/socket`));
    expect(commandAck.payload).toMatchObject({ response_type: 'ephemeral', text: 'Looking that up: “Who is Ha Jung-woo?”…' });
    const [responded] = await api.waitFor('respond/socket');
    expect(responded.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(responded.body.text)).toContain('former head of AI research at Naver');
    expect(JSON.stringify(responded.body.blocks)).toContain('Only you can see this answer.');

    await socket.send('interactive', feedbackPress('feedback_not_helpful', 'ans_socket', `${api.url}/respond/socket-press`));
    await api.waitFor('respond/socket-press');
  });

  it('acknowledges a malformed payload and does nothing with it', async () => {
    const slack = startSocketSlack('xapp-test');
    await slack.start();
    const ack = await socket.send('interactive', feedbackPress('feedback_helpful', 'ans_x', `${api.url}/respond/bad`, '{not json'));
    expect(ack.envelope_id).toBeTruthy();
    await socket.send('slash_commands', { ...commandFields('q', `${api.url}/respond/bad`), text: 42 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.callsTo('respond/bad')).toEqual([]);
    expect(logLines.filter((line) => line.msg === 'ignored a malformed Slack payload')).toHaveLength(2);
    expect(unhandled).toEqual([]);
  });

  it('reconnects when Slack asks it to, and keeps answering', async () => {
    const slack = startSocketSlack('xapp-test');
    await slack.start();
    const before = socket.connections;
    socket.disconnect();
    await socket.waitForConnections(before + 1);
    await socket.send('events_api', eventEnvelope(mention('<@UBOT> Who is Ha Jung-woo?', { ts: '810.1' })));
    const [posted] = await api.waitFor('chat.postMessage');
    expect(String(posted.body.text)).toContain('former head of AI research at Naver');
    expect(slack.status()).toEqual({ state: 'ready' });
  });

  it('turns Slack off, without crashing, when the app token is revoked while connected', async () => {
    const slack = startSocketSlack('xapp-test');
    await slack.start();
    socket.authorize('xapp-rotated');
    socket.disconnect();
    await until(() => slack.status().state === 'off', 'Slack to turn off');
    expect(slack.status()).toEqual({ state: 'off', reason: 'SLACK_APP_TOKEN was refused (Slack answered "invalid_auth")' });
    expect(
      logLines.some(
        (line) =>
          line.level === 50 && line.msg.startsWith('Slack is turned off: SLACK_APP_TOKEN was refused (Slack answered "invalid_auth")'),
      ),
    ).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it('turns Slack off with one clear line when the app token is wrong from the start', async () => {
    const slack = startSocketSlack('xapp-wrong');
    await slack.start();
    expect(slack.status()).toMatchObject({ state: 'off', reason: 'SLACK_APP_TOKEN was refused (Slack answered "invalid_auth")' });
    const offLines = logLines.filter((line) => line.msg.startsWith('Slack is turned off'));
    expect(offLines).toHaveLength(1);
    expect(offLines[0].msg).toContain('The chat page and API keep serving');
    expect(unhandled).toEqual([]);
  });
});

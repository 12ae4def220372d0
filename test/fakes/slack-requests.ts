import { createHmac } from 'node:crypto';

/** Bodies and signatures as Slack sends them to POST /slack/events, for tests. */

export const SIGNING_SECRET = 'test-signing-secret';

/** Slack's request signature headers for `body`. */
export function sign(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'X-Slack-Signature': signature, 'X-Slack-Request-Timestamp': String(timestamp) };
}

let eventCounter = 0;

/** An Events API envelope around `event`. */
export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${++eventCounter}`): Record<string, unknown> {
  return { type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: eventId, event_time: 1, event };
}

export const mention = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'app_mention',
  user: 'U1',
  channel: 'C1',
  text,
  ts: '100.1',
  ...extra,
});

/** A slash command's fields, as Slack form-encodes them (over HTTP) or sends them as JSON (Socket Mode). */
export function commandFields(text: string, responseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    command: '/ask',
    text,
    user_id: 'U1',
    channel_id: 'C1',
    team_id: 'T1',
    response_url: responseUrl,
    trigger_id: 't',
    token: 'x',
    api_app_id: 'A1',
    ...extra,
  };
}

/** A block_actions payload for one press of a feedback button. */
export function feedbackPress(
  actionId: string,
  answerId: string,
  responseUrl: string,
  value = JSON.stringify({ a: answerId, q: 'What is the budget?' }),
): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: 'U9' },
    api_app_id: 'A1',
    channel: { id: 'C1' },
    trigger_id: 't',
    response_url: responseUrl,
    message: { text: 'The answer that was shown [1]', ts: '600.1' },
    actions: [{ type: 'button', action_id: actionId, block_id: 'verbatim_feedback', value, action_ts: '1' }],
  };
}

/** The form body Slack posts for an interactive payload. */
export const formPayload = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

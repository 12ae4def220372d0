import { z } from 'zod';

/** What a Slack request body is, once checked: the kinds this app answers, or ones it skips. */
export type SlackPayloadKind = 'event' | 'command' | 'block_actions' | 'url_verification' | 'ignored_event' | 'app_rate_limited';

export type SlackPayloadCheck = { ok: true; kind: SlackPayloadKind; teamId: string | undefined } | { ok: false; problem: string };

/** The events the handlers answer; the app manifest subscribes to exactly these. */
export const ANSWERED_EVENT_TYPES = ['app_mention', 'message'] as const;
/** The feedback buttons under every answer. */
export const FEEDBACK_ACTIONS = ['feedback_helpful', 'feedback_not_helpful'] as const;

const text = z.string();
const optionalText = z.string().optional();
// Bolt applies the `in` operator to these when present, which throws on anything but an object.
const objectIfPresent = z.looseObject({}).optional();

const answeredEvent = z.looseObject({
  type: z.enum(ANSWERED_EVENT_TYPES),
  channel: text,
  ts: text,
  user: optionalText,
  text: optionalText,
  thread_ts: optionalText,
  channel_type: optionalText,
  subtype: optionalText,
  bot_id: optionalText,
  channel_id: optionalText,
  item: objectIfPresent,
  subteam: objectIfPresent,
});

const eventEnvelope = z.looseObject({
  type: z.literal('event_callback'),
  team_id: text,
  event_id: text,
  enterprise_id: z.string().nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  authorizations: z
    .array(
      z.looseObject({
        team_id: z.string().nullable().optional(),
        enterprise_id: z.string().nullable().optional(),
        is_enterprise_install: z.boolean().optional(),
      }),
    )
    .optional(),
  event: z.looseObject({ type: text }),
});

const command = z.looseObject({
  command: z.string().regex(/^\/\S+$/, 'must be a slash command such as /ask'),
  text,
  user_id: text,
  channel_id: text,
  team_id: text,
  response_url: z.url(),
  enterprise_id: optionalText,
  is_enterprise_install: optionalText,
});

/** The JSON a feedback button carries: the answer's id and question. */
export const feedbackValue = z.object({ a: z.string().max(200).optional(), q: z.string().max(3000).optional() });

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: text, team_id: optionalText }),
  team: z.looseObject({ id: text, enterprise_id: optionalText }).nullable().optional(),
  enterprise: z.looseObject({ id: text }).nullable().optional(),
  channel: z.looseObject({ id: text }).optional(),
  message: z.looseObject({ text: optionalText }).optional(),
  is_enterprise_install: z.boolean().optional(),
  response_url: z.url(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.enum(FEEDBACK_ACTIONS, { message: `must be one of this app's buttons (${FEEDBACK_ACTIONS.join(', ')})` }),
        value: z.string().refine((value) => parseFeedbackValue(value) !== null, 'must be JSON such as {"a":"ans_…","q":"…"}'),
      }),
    )
    .length(1, 'must hold exactly one button press'),
});

/** Parses a feedback button's value, or null when it is not the JSON this app put there. */
export function parseFeedbackValue(value: string): z.infer<typeof feedbackValue> | null {
  try {
    const parsed = feedbackValue.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Checks a parsed Slack request body before anything acknowledges or acts on it, so a signed
 * but malformed payload is refused up front instead of failing inside Bolt or a handler after
 * the ack. Bodies are classified in the order Bolt dispatches them (event, command, action),
 * so what is checked here is what Bolt would run.
 */
export function checkSlackPayload(body: unknown): SlackPayloadCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: 'the payload must be a JSON object' };
  const record = body as Record<string, unknown>;
  if ('event' in record) {
    const envelope = eventEnvelope.safeParse(record);
    if (!envelope.success) return failure(envelope.error);
    if (!(ANSWERED_EVENT_TYPES as readonly string[]).includes(envelope.data.event.type)) {
      return { ok: true, kind: 'ignored_event', teamId: envelope.data.team_id };
    }
    const event = answeredEvent.safeParse(envelope.data.event);
    return event.success ? { ok: true, kind: 'event', teamId: envelope.data.team_id } : failure(event.error, 'event');
  }
  if ('command' in record) {
    const parsed = command.safeParse(record);
    return parsed.success ? { ok: true, kind: 'command', teamId: parsed.data.team_id } : failure(parsed.error);
  }
  if ('actions' in record || 'name' in record) {
    if ('name' in record || record.type !== 'block_actions')
      return { ok: false, problem: 'only block_actions payloads (button presses) are handled' };
    const parsed = blockActions.safeParse(record);
    return parsed.success
      ? { ok: true, kind: 'block_actions', teamId: parsed.data.team?.id ?? parsed.data.user.team_id }
      : failure(parsed.error);
  }
  if (record.type === 'url_verification') {
    return typeof record.challenge === 'string'
      ? { ok: true, kind: 'url_verification', teamId: undefined }
      : { ok: false, problem: 'challenge: must be a string' };
  }
  if (record.type === 'app_rate_limited') {
    return { ok: true, kind: 'app_rate_limited', teamId: typeof record.team_id === 'string' ? record.team_id : undefined };
  }
  return {
    ok: false,
    problem: `unsupported payload${typeof record.type === 'string' ? ` type "${record.type.slice(0, 40)}"` : ': no event, command or actions'}`,
  };
}

/** The first issue, named by its path, kept short: the message goes back to the sender. */
function failure(error: z.ZodError, prefix?: string): { ok: false; problem: string } {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return { ok: false, problem: `${path || 'payload'}: ${issue.message}`.slice(0, 200) };
}

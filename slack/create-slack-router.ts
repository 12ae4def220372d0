import { App, ExpressReceiver, LogLevel, type BlockAction, type ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Answer, ConversationTurn } from '../core/types.js';
import { renderSlack, type SlackMessage } from './render-slack.js';
import type { FeedbackStore } from './feedback-store.js';
import { stripMentions, threadHistory } from './thread-history.js';

export interface SlackOptions {
  signingSecret: string;
  botToken: string;
  /** Slack Web API base URL; tests point it at a fake. */
  apiUrl?: string;
  /** Answers a question through the shared pipeline; throws when it cannot. */
  answer: (question: string, history: ConversationTurn[]) => Promise<Answer>;
  feedback: FeedbackStore;
  maxHistoryTurns: number;
  logger?: Logger;
}

/** How many recent event ids are remembered to answer each event once despite Slack's retries. */
const SEEN_EVENTS = 5000;
const FEEDBACK_BLOCK = 'verbatim_feedback';

/**
 * The Slack app at POST /slack/events (events, the slash command and button actions share it),
 * built on Bolt with its Express receiver: Bolt verifies each request's signature and
 * timestamp (401 and no work otherwise) and acknowledges events at once.
 */
export function createSlackRouter(options: SlackOptions): Router {
  const router = Router();
  const receiver = new ExpressReceiver({
    signingSecret: options.signingSecret,
    router,
    endpoints: '/slack/events',
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    token: options.botToken,
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : undefined,
  });
  const log = options.logger;

  // Slack retries an event (X-Slack-Retry-Num) when its ack seemed late; the event id stays the
  // same, so each id is answered once.
  const seen = new Set<string>();
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId) {
      if (seen.has(eventId)) return;
      seen.add(eventId);
      if (seen.size > SEEN_EVENTS) seen.delete(seen.values().next().value!);
    }
    await next();
  });

  async function replyInThread(
    client: WebClient,
    channel: string,
    text: string,
    ts: string,
    threadTs: string | undefined,
    botUserId: string | undefined,
  ) {
    const question = stripMentions(text);
    const root = threadTs ?? ts;
    try {
      let history: ConversationTurn[] = [];
      if (threadTs && threadTs !== ts) {
        const replies = await client.conversations.replies({ channel, ts: threadTs, limit: 50 });
        history = threadHistory(replies.messages ?? [], ts, botUserId, options.maxHistoryTurns);
      }
      if (!question) {
        await client.chat.postMessage({
          channel,
          thread_ts: root,
          text: 'Ask me a question about the sources, e.g. “@Verbatim what does the report say about …?”',
        });
        return;
      }
      const answer = await options.answer(question, history);
      await client.chat.postMessage({ channel, thread_ts: root, ...withFeedback(renderSlack(answer), answer) });
    } catch (error) {
      log?.error({ err: error }, 'slack answer failed');
      await client.chat
        .postMessage({ channel, thread_ts: root, text: `Sorry, I could not answer that: ${failureReason(error)}` })
        .catch((postError) => log?.error({ err: postError }, 'slack failure notice failed'));
    }
  }

  app.event('app_mention', async ({ event, client, context }) => {
    await replyInThread(client, event.channel, event.text ?? '', event.ts, event.thread_ts, context.botUserId);
  });

  app.message(async ({ message, client, context }) => {
    const direct = message as {
      channel_type?: string;
      subtype?: string;
      bot_id?: string;
      text?: string;
      ts: string;
      thread_ts?: string;
      channel: string;
    };
    if (direct.channel_type !== 'im' || direct.subtype || direct.bot_id) return;
    await replyInThread(client, direct.channel, direct.text ?? '', direct.ts, direct.thread_ts, context.botUserId);
  });

  app.command(/.*/, async ({ command, ack, respond }) => {
    // Slack needs the ack within three seconds; the answer follows through response_url.
    await ack({ response_type: 'ephemeral', text: `Looking that up: “${command.text}”…` });
    const question = command.text.trim();
    try {
      if (!question) {
        await respond({ response_type: 'ephemeral', text: `Usage: ${command.command} your question` });
        return;
      }
      const answer = await options.answer(question, []);
      await respond({ response_type: 'in_channel', replace_original: false, ...withFeedback(renderSlack(answer), answer) });
    } catch (error) {
      log?.error({ err: error }, 'slack command failed');
      await respond({ response_type: 'ephemeral', text: `Sorry, I could not answer that: ${failureReason(error)}` }).catch(() => undefined);
    }
  });

  app.action<BlockAction<ButtonAction>>(/^feedback_(helpful|not_helpful)$/, async ({ ack, body, action, respond }) => {
    const { a: answerId, q: question } = JSON.parse(action.value ?? '{}') as { a?: string; q?: string };
    // Recorded before the ack: a press Slack saw acknowledged is on disk, and presses are kept
    // in the order they arrived.
    await options.feedback.record({
      at: new Date().toISOString(),
      vote: action.action_id === 'feedback_helpful' ? 'helpful' : 'not_helpful',
      answerId: answerId ?? 'unknown',
      question: question ?? '',
      answer: (body.message as { text?: string } | undefined)?.text ?? '',
      user: body.user.id,
      channel: body.channel?.id ?? '',
    });
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: false, text: 'Thanks, your feedback was recorded.' }).catch(
      () => undefined,
    );
  });

  app.error(async (error) => {
    log?.error({ err: error }, 'slack app error');
  });
  return router;
}

/** Adds helpful / not helpful buttons, carrying the answer id and question for the record. */
function withFeedback(message: SlackMessage, answer: Answer): SlackMessage {
  const value = JSON.stringify({ a: answer.id, q: answer.question.slice(0, 1500) });
  return {
    text: message.text,
    blocks: [
      ...message.blocks.slice(0, 49),
      {
        type: 'actions',
        block_id: FEEDBACK_BLOCK,
        elements: [
          { type: 'button', action_id: 'feedback_helpful', text: { type: 'plain_text', text: '👍 Helpful' }, value },
          { type: 'button', action_id: 'feedback_not_helpful', text: { type: 'plain_text', text: '👎 Not helpful' }, value },
        ],
      },
    ],
  };
}

function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

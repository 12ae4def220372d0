import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import { collectAnswer } from '../core/answer/answer-question.js';
import type { Engine } from '../core/engine.js';
import { HISTORY_TURN_FACTOR, parseAnswerInput, type InputLimits } from '../core/question/parse-answer-input.js';
import type { Answer, ConversationTurn } from '../core/contracts/types.js';
import { renderSlack, type SlackMessage } from './render-slack.js';
import { SeenEvents } from './seen-events.js';
import { checkSlackPayload, parseFeedbackValue } from './check-slack-payload.js';
import type { FeedbackStore } from './feedback-store.js';
import { stripMentions, threadHistory } from './thread-history.js';

/** Who sees a slash command's answer: only the person who asked, or the whole channel. */
export type CommandVisibility = 'ephemeral' | 'in_channel';

/** Where a Slack question was asked, and the collection a slash command named (`/ask in:handbook …`), if any. */
export interface SlackPlace {
  channel: string;
  named?: string;
}

/** What the Slack handlers need, whichever way Slack reaches them (HTTP endpoint or Socket Mode). */
export interface SlackHandlerOptions {
  /** Answers every question when `pickEngine` is not given; its failures are told to the asker in words. */
  engine?: Engine;
  /**
   * The engine for a channel and the collection its command names (the server's channel map);
   * its refusals (a collection the channel may not ask) are told to the asker like any failure.
   */
  pickEngine?: (place: SlackPlace) => Engine;
  /** The input contract's limits (MAX_QUESTION_CHARS, MAX_HISTORY_TURNS), as on every surface. */
  limits: InputLimits;
  /** Where button presses are recorded: a file, or the database that replicas share (STORE=postgres). */
  feedback: Pick<FeedbackStore, 'record'>;
  commandVisibility: CommandVisibility;
  logger?: Logger;
  /** Told of every failed Slack Web API call, so a revoked token can turn Slack off. */
  onSlackApiError?: (error: unknown) => void;
  /** Remembers answered event ids; a SeenEvents of this process unless given (one shared by every server worker). */
  seenEvents?: { firstTime(eventId: string): boolean | Promise<boolean> };
}

const FEEDBACK_BLOCK = 'verbatim_feedback';

/**
 * Registers the app's behaviour on a Bolt app: @mentions and direct messages answered in a
 * thread, the slash command answered through its response_url, feedback buttons recorded.
 * The HTTP receiver and Socket Mode both use exactly these handlers.
 */
export function registerSlackHandlers(app: App, options: SlackHandlerOptions): void {
  const log = options.logger;
  /**
   * A Slack message and its thread, translated into the one input contract: the thread's last
   * MAX_HISTORY_TURNS messages, each cut to the length a turn may have (a thread is what it is;
   * the asker cannot resend it shorter). A question that breaks the contract is refused by it.
   */
  const answerFor = (question: string, thread: ConversationTurn[], place: SlackPlace): Promise<Answer> => {
    const engine = options.pickEngine ? options.pickEngine(place) : options.engine;
    if (!engine) throw new Error('the Slack handlers have no engine');
    const maxTurnChars = options.limits.maxQuestionChars * HISTORY_TURN_FACTOR;
    const history = thread
      .slice(-options.limits.maxHistoryTurns)
      .map((turn) => ({ ...turn, content: turn.content.slice(0, maxTurnChars) }));
    return collectAnswer(engine.answer(parseAnswerInput({ question, history }, options.limits)));
  };

  // A payload the handlers could not read is refused before any handler runs. Over HTTP the
  // request guard has already answered 400; this covers Socket Mode, where the ack is all
  // Slack expects.
  app.use(async ({ body, next, ...rest }) => {
    const check = checkSlackPayload(body);
    if (check.ok) return next();
    log?.warn({ problem: check.problem }, 'ignored a malformed Slack payload');
    if ('ack' in rest && typeof rest.ack === 'function') await rest.ack();
  });

  // Slack retries an event (X-Slack-Retry-Num, or a Socket Mode retry_attempt) when its ack
  // seemed late; the event id stays the same, so each id is answered once.
  const seen = options.seenEvents ?? new SeenEvents();
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await seen.firstTime(eventId))) return;
    await next();
  });

  async function replyInThread(
    client: webApi.WebClient,
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
        history = threadHistory(replies.messages ?? [], ts, botUserId, options.limits.maxHistoryTurns);
      }
      if (!question) {
        await client.chat.postMessage({
          channel,
          thread_ts: root,
          text: 'Ask me a question about the sources, e.g. “@Verbatim what does the report say about …?”',
        });
        return;
      }
      const answer = await answerFor(question, history, { channel });
      await client.chat.postMessage({ channel, thread_ts: root, ...withFeedback(renderSlack(answer), answer) });
    } catch (error) {
      if (!isTyped(error)) log?.error({ err: error }, 'slack answer failed');
      options.onSlackApiError?.(error);
      await client.chat
        .postMessage({ channel, thread_ts: root, text: `Sorry, I could not answer that: ${failureReason(error)}` })
        .catch((postError) => {
          log?.error({ err: postError }, 'slack failure notice failed');
          options.onSlackApiError?.(postError);
        });
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
    // With collections, `in:NAME` before the question names one (among those the channel may ask).
    const named = options.pickEngine ? /^in:(\S+)\s*([\s\S]*)$/.exec(command.text.trim()) : null;
    const question = (named ? named[2] : command.text).trim();
    try {
      if (!question) {
        const usage = options.pickEngine ? `${command.command} [in:collection] your question` : `${command.command} your question`;
        await respond({ response_type: 'ephemeral', text: `Usage: ${usage}` });
        return;
      }
      const answer = await answerFor(question, [], { channel: command.channel_id, named: named?.[1] });
      const message = withVisibility(
        withFeedback(renderSlack(answer), answer),
        options.commandVisibility,
        command.user_id,
        command.command,
      );
      await respond({ response_type: options.commandVisibility, replace_original: false, ...message });
    } catch (error) {
      if (!isTyped(error)) log?.error({ err: error }, 'slack command failed');
      await respond({ response_type: 'ephemeral', text: `Sorry, I could not answer that: ${failureReason(error)}` }).catch(() => undefined);
    }
  });

  app.action<BlockAction<ButtonAction>>(/^feedback_(helpful|not_helpful)$/, async ({ ack, body, action, respond }) => {
    const { a: answerId, q: question } = parseFeedbackValue(action.value ?? '') ?? {};
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
}

/** Adds helpful / not helpful buttons, carrying the answer id and question for the record. */
function withFeedback(message: SlackMessage, answer: Answer): SlackMessage {
  const value = JSON.stringify({ a: answer.id, q: answer.question.slice(0, 1500) });
  return {
    text: message.text,
    blocks: [
      ...message.blocks.slice(0, 48),
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

/** Says in the reply itself who can see it, so nobody shares an answer with a channel unawares. */
function withVisibility(message: SlackMessage, visibility: CommandVisibility, userId: string, command: string): SlackMessage {
  const note =
    visibility === 'in_channel'
      ? `Visible to everyone in this channel: <@${userId}> asked with ${command}.`
      : `Only you can see this answer.`;
  return { text: message.text, blocks: [...message.blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] };
}

/**
 * Why an answer failed, for the asker: our typed errors (a question over the length limit, the
 * index still loading, the model unavailable) say it and how to fix it; anything else is logged
 * and told without internals.
 */
function failureReason(error: unknown): string {
  if (!isTyped(error)) return 'something went wrong on the server; the error has been logged.';
  return error.message.length > 200 ? `${error.message.slice(0, 200)}…` : error.message;
}

/** One of our errors with a fixed name and code (InvalidInputError, IndexLoadingError, ModelUnavailableError…). */
function isTyped(error: unknown): error is Error & { code: string } {
  return error instanceof Error && error.name !== 'Error' && typeof (error as { code?: unknown }).code === 'string';
}

import type { ConversationTurn } from '../core/contracts/types.js';

/** A Slack message as conversations.replies returns it (the fields used here). */
export interface SlackMessageLike {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
}

/** Removes user and channel mentions (`<@U123>`) from message text. */
export function stripMentions(text: string): string {
  return text
    .replace(/<[@#!][^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Earlier messages of a thread as conversation turns: the bot's own messages are the
 * assistant's, everyone else's the user's. The message being answered is left out.
 */
export function threadHistory(
  messages: SlackMessageLike[],
  currentTs: string,
  botUserId: string | undefined,
  maxTurns: number,
): ConversationTurn[] {
  const turns: ConversationTurn[] = messages
    .filter((message) => message.ts !== currentTs && message.text)
    .map((message) => ({
      role: message.bot_id || (botUserId && message.user === botUserId) ? 'assistant' : 'user',
      content: stripMentions(message.text ?? ''),
    }));
  return turns.filter((turn) => turn.content.length > 0).slice(-maxTurns);
}

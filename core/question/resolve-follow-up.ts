import type { ConversationTurn } from '../contracts/types.js';

/** How many earlier turns a follow-up draws its context from. */
const CONTEXT_TURNS = 2;

/**
 * Text of the last exchange (the previous question and answer, citation markers removed),
 * whose terms make a follow-up like "which companies did he pledge to work with?" retrievable
 * without a model. Empty when there is no history.
 */
export function historyContext(history: ConversationTurn[] | undefined): string {
  if (!history || history.length === 0) return '';
  return history
    .slice(-CONTEXT_TURNS)
    .map((turn) => turn.content.replace(/\[\d+\]/g, ' '))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

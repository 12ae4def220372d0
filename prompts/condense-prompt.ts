import type { PromptMessage } from './prompt-message.js';

const SYSTEM = `Rewrite the user's follow-up question as one standalone question that can be understood without the conversation.
Replace pronouns and vague references with the names and things they refer to in the conversation.
If the question is already standalone, return it unchanged. Reply with the question only.`;

/** Messages asking a chat model to make a follow-up question standalone. */
export function renderCondensePrompt(question: string, history: { role: 'user' | 'assistant'; content: string }[]): PromptMessage[] {
  const conversation = history.map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content}`).join('\n');
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Conversation:\n${conversation}\n\nFollow-up question: ${question}\nStandalone question:` },
  ];
}

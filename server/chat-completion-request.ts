import { z } from 'zod';
import { InvalidInputError } from '../core/contracts/invalid-input-error.js';
import { HISTORY_TURN_FACTOR, parseAnswerInput } from '../core/question/parse-answer-input.js';
import type { AnswerInput, ConversationTurn } from '../core/contracts/types.js';
import type { RequestLimits } from './answer-request.js';
import { InvalidParameterError } from './invalid-parameter-error.js';

/** A message's content: a string, or parts of which only text parts are read. */
const content = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()], {
  message: 'must be a string or a list of content parts',
});

/**
 * The body of POST /v1/chat/completions. Loose, as OpenAI-compatible servers are: clients send
 * sampling parameters (temperature, max_tokens, …) that mean nothing for quoted answers and
 * are ignored. Only what Verbatim reads is checked.
 */
const chatCompletionSchema = z.looseObject({
  model: z.string({ message: 'is required and must be a string' }).min(1, { message: 'must not be empty' }),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], { message: 'must be a chat role such as "user"' }),
        content: content.optional(),
      }),
      { message: 'is required and must be a list of messages' },
    )
    .min(1, { message: 'must hold at least one message' }),
  stream: z.boolean({ message: 'must be true or false' }).nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean({ message: 'must be true or false' }).nullish() }).nullish(),
  n: z.literal(1, { message: 'must be 1: one answer is made per request' }).nullish(),
});

export interface ChatCompletionRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The question (last user message) and history (earlier user and assistant turns). */
  input: Pick<AnswerInput, 'question' | 'history'>;
  /** Every message's text, for the usage estimate. */
  promptText: string;
}

/**
 * Reads a chat completion request: the last message must be the user's question; earlier user
 * and assistant messages are the history (the most recent `maxHistoryTurns`, since chat clients
 * resend the whole conversation); system and tool messages are not used. Throws
 * InvalidParameterError naming the parameter.
 */
export function parseChatCompletionRequest(body: unknown, limits: RequestLimits): ChatCompletionRequest {
  const parsed = chatCompletionSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = formatPath(issue.path);
    throw new InvalidParameterError(param || 'body', param ? `${param}: ${issue.message}` : issue.message);
  }
  const { messages } = parsed.data;
  const last = messages.length - 1;
  const texts = messages.map((message, i) => messageText(message.content, i, i === last));
  if (messages[last].role !== 'user') {
    throw new InvalidParameterError(
      'messages',
      `messages: the last message must be the user's question; it is a message from "${messages[last].role}"`,
    );
  }
  // Chat clients resend the whole conversation: the last turns the contract allows are kept,
  // each cut to the length a turn may have, and the contract then checks the question.
  const maxTurnChars = limits.maxQuestionChars * HISTORY_TURN_FACTOR;
  const turns: ConversationTurn[] = messages
    .slice(0, last)
    .map((message, i) => ({ role: message.role, content: texts[i].trim().slice(0, maxTurnChars) }))
    .filter((turn): turn is ConversationTurn => (turn.role === 'user' || turn.role === 'assistant') && turn.content !== '');
  const history = limits.maxHistoryTurns > 0 ? turns.slice(-limits.maxHistoryTurns) : [];
  let input: ChatCompletionRequest['input'];
  try {
    input = parseAnswerInput({ question: texts[last], history }, limits);
  } catch (error) {
    if (!InvalidInputError.isInstance(error)) throw error;
    const param = `messages[${last}].content`;
    throw new InvalidParameterError(param, error.message.replace(/^question: /, `${param}: the question `));
  }
  return {
    model: parsed.data.model,
    stream: parsed.data.stream === true,
    includeUsage: parsed.data.stream_options?.include_usage === true,
    input,
    promptText: texts.join('\n'),
  };
}

/**
 * The text of a message: the string, or its text parts joined. The question's other parts (an
 * image) are refused by name, since they would go unanswered; earlier turns keep their text.
 */
function messageText(value: z.infer<typeof content> | undefined, index: number, isQuestion: boolean): string {
  if (typeof value === 'string') return value;
  if (!value) return '';
  const other = value.findIndex((part) => part.type !== 'text' || typeof part.text !== 'string');
  if (isQuestion && other >= 0) {
    throw new InvalidParameterError(
      `messages[${index}].content[${other}]`,
      `messages[${index}].content[${other}]: only text parts are supported, not "${value[other].type}"`,
    );
  }
  return value
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}

/** A zod issue path as OpenAI names parameters: `messages[2].content`. */
function formatPath(path: PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}

import { z } from 'zod';
import { asksSomething } from '../core/asks-something.js';

export interface RequestLimits {
  maxQuestionChars: number;
  maxHistoryTurns: number;
}

/** The body of POST /v1/answer, checked with limits from the configuration. */
export function answerRequestSchema(limits: RequestLimits) {
  const turn = z.strictObject({
    role: z.enum(['user', 'assistant'], { message: 'must be "user" or "assistant"' }),
    content: z
      .string({ message: 'must be a string' })
      .max(limits.maxQuestionChars * 4, { message: `must be at most ${limits.maxQuestionChars * 4} characters` }),
  });
  return z.strictObject({
    question: z
      .string({ message: 'is required and must be a string' })
      .trim()
      .min(1, { message: 'must not be empty' })
      .max(limits.maxQuestionChars, { message: `must be at most ${limits.maxQuestionChars} characters` })
      .refine(asksSomething, { message: 'must contain a letter or digit' }),
    history: z
      .array(turn, { message: 'must be a list of {role, content} turns' })
      .max(limits.maxHistoryTurns, { message: `must have at most ${limits.maxHistoryTurns} turns` })
      .optional(),
    k: z
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be at least 1' })
      .max(20, { message: 'must be at most 20' })
      .optional(),
    format: z.enum(['json', 'slack'], { message: 'must be "json" or "slack"' }).optional(),
    stream: z.boolean({ message: 'must be true or false' }).optional(),
    mode: z.enum(['extractive', 'generative'], { message: 'must be "extractive" or "generative"' }).optional(),
  });
}

export type AnswerRequest = z.infer<ReturnType<typeof answerRequestSchema>>;

/** Field names an error message repeats at most, and the characters of each: a message never grows with the request. */
const NAMES_SHOWN = 5;
const NAME_CHARS = 40;

/** One line naming each problem: `question: must not be empty`. */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, NAMES_SHOWN).map((issue) => {
    const path = issue.path.map((part) => shorten(String(part))).join('.');
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${nameList(issue.keys)}`;
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - described.length;
  return described.join('; ') + (more > 0 ? `; and ${more} more problem${more > 1 ? 's' : ''}` : '');
}

function nameList(names: string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map((name) => `"${shorten(name)}"`);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

function shorten(name: string): string {
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}…` : name;
}

import { z } from 'zod';
import type { InputLimits } from '../core/question/parse-answer-input.js';

/** How long a question and its history may be: the one input contract's limits. */
export type RequestLimits = InputLimits;

/**
 * The body of POST /v1/answer as a wire shape: its fields, and this surface's own options
 * (`format`, `stream`, `collection`). The question, history, k and mode are checked by the one input contract
 * (core/question/parse-answer-input.ts) that every surface applies.
 */
export const answerRequestSchema = z.strictObject({
  question: z.unknown().optional(),
  history: z.unknown().optional(),
  k: z.unknown().optional(),
  mode: z.unknown().optional(),
  format: z.enum(['json', 'slack'], { message: 'must be "json" or "slack"' }).optional(),
  stream: z.boolean({ message: 'must be true or false' }).optional(),
  /** The collection to answer from (default: `default`, or the first the API key may read). */
  collection: z.string({ message: 'must be a collection name' }).optional(),
});

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

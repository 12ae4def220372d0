import { z } from 'zod';
import type { TextRange } from '../core/engine.js';
import { InvalidInputError } from '../core/contracts/invalid-input-error.js';

const offset = z
  .string({ message: 'must be given once' })
  .regex(/^\d{1,12}$/, { message: 'must be a whole number of characters, 0 or more' })
  .transform(Number)
  .optional();

const querySchema = z
  .object({ start: offset, end: offset, around: offset, chars: offset })
  .refine((q) => q.around === undefined || (q.start === undefined && q.end === undefined), {
    message: 'give either start/end or around, not both',
  })
  .refine((q) => q.chars === undefined || q.around !== undefined, { message: 'chars goes with around' });

/**
 * The range of a document a sources request (GET /v1/sources/:docId, an MCP resource read) asks
 * for, at most `maxChars` long: `start`/`end` (end defaults to, and is cut at, start + maxChars),
 * or `around` an offset with `chars` characters (default and at most maxChars) centred on it. No
 * parameter: the first page. A bad parameter throws InvalidInputError naming it.
 */
export function sourceRange(query: unknown, length: number, maxChars: number): TextRange {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = issue.path.map(String).join('.');
    throw new InvalidInputError(field || 'range', field ? `${field}: ${issue.message}` : issue.message);
  }
  const { start, end, around, chars } = parsed.data;
  if (around !== undefined) {
    if (around > length) throw new InvalidInputError('around', `around: beyond the end of the document (${length} characters)`);
    const window = Math.min(chars ?? maxChars, maxChars);
    const from = Math.max(0, Math.min(around - Math.floor(window / 2), length - window));
    return { start: from, end: Math.min(length, from + window) };
  }
  const from = start ?? 0;
  if (from > length) throw new InvalidInputError('start', `start: beyond the end of the document (${length} characters)`);
  if (end !== undefined && end < from) throw new InvalidInputError('end', 'end: must not be before start');
  return { start: from, end: Math.min(end ?? length, length, from + maxChars) };
}

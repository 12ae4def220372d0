import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CaseFileError } from './case-file-error.js';

// Unknown top-level fields are stripped, not refused: public datasets carry metadata (`paragraph`,
// `type`, `why_unanswerable`...) that the eval has no use for. `loadCases` names them in one note.
const caseSchema = z.object({
  id: z.string({ message: 'must be a string' }).min(1, { message: 'must not be empty' }),
  question: z.string({ message: 'must be a string' }).trim().min(1, { message: 'must not be empty' }),
  history: z
    .array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string() }), {
      message: 'must be a list of {role, content} turns',
    })
    .optional(),
  answer: z.string({ message: 'must be a string' }).optional(),
  must_include: z
    .array(z.union([z.string(), z.array(z.string()).min(1)]), { message: 'must be a list of strings or lists of strings' })
    .default([]),
  contexts: z.array(z.string(), { message: 'must be a list of strings' }).default([]),
  unanswerable: z.boolean({ message: 'must be true or false' }).default(false),
  doc: z.string().nullable().optional(),
  /** Free text for reviewers (e.g. exported Slack feedback); the eval ignores it. */
  note: z.string().optional(),
});

/** One evaluation case (DESIGN.md, "Evaluation cases"). */
export type EvalCase = z.infer<typeof caseSchema>;

const KNOWN_FIELDS = new Set(Object.keys(caseSchema.shape));

/**
 * Reads a JSONL case file; any malformed line or duplicate id is an error, never skipped.
 * Unknown fields are ignored, and `onNote` receives one line naming them and how many cases had them.
 */
export async function loadCases(file: string, onNote: (note: string) => void = () => {}): Promise<EvalCase[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CaseFileError(`Cannot read the cases file ${file}: ${(error as Error).message}`);
  }
  const cases: EvalCase[] = [];
  const ids = new Set<string>();
  const unknownFields = new Set<string>();
  let casesWithUnknownFields = 0;
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new CaseFileError(`${file}:${lineNumber}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = caseSchema.safeParse(json);
    const unknown =
      json !== null && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json).filter((key) => !KNOWN_FIELDS.has(key)) : [];
    if (unknown.length > 0) casesWithUnknownFields++;
    for (const key of unknown) unknownFields.add(key);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(line)';
      const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
      throw new CaseFileError(`${file}:${lineNumber}: field "${field}": ${message}`);
    }
    if (ids.has(parsed.data.id)) throw new CaseFileError(`${file}:${lineNumber}: field "id": duplicate id "${parsed.data.id}"`);
    ids.add(parsed.data.id);
    cases.push(parsed.data);
  });
  if (cases.length === 0) throw new CaseFileError(`${file} holds no cases`);
  if (unknownFields.size > 0) {
    onNote(
      `ignored unknown fields ${[...unknownFields].sort().join(', ')} in ${casesWithUnknownFields} ${casesWithUnknownFields === 1 ? 'case' : 'cases'}`,
    );
  }
  return cases;
}

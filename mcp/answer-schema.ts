import { z } from 'zod';

/** A verified citation, as the Answer carries it (extra fields, such as a path, pass through). */
export const citationSchema = z.looseObject({
  n: z.number().describe('The [n] marker in the answer text'),
  docId: z.string(),
  title: z.string(),
  chunkId: z.string(),
  start: z.number().describe('Character offset of the quote in the stored document text'),
  end: z.number(),
  quote: z.string().describe('Exactly the stored text between start and end'),
  verified: z.boolean(),
  url: z.string().nullable().optional().describe('The page a crawled document was read from; null for a file'),
  link: z.string().nullable().optional().describe('The page with a text fragment (#:~:text=) that opens it at the quote'),
});

/** A retrieved passage with its offsets into the stored document text. */
export const passageSchema = z.looseObject({
  chunkId: z.string(),
  docId: z.string(),
  title: z.string(),
  start: z.number(),
  end: z.number(),
  score: z.number(),
  text: z.string(),
  url: z.string().nullable().optional().describe('The page a crawled document was read from; null for a file'),
});

/** The Answer object every surface shares (answer_question's structured result). */
export const answerSchema = z.looseObject({
  id: z.string(),
  question: z.string(),
  answer: z.string().describe('The answer text with [n] citation markers'),
  answerable: z.boolean().describe('false: the sources do not answer the question (see reason)'),
  reason: z.string().nullable(),
  confidence: z.number().nullable().describe('Calibrated probability that the answer is right'),
  citations: z.array(citationSchema),
  passages: z.array(passageSchema),
  mode: z.enum(['extractive', 'generative']),
  notice: z.string().nullable(),
  generation: z.string().nullable().describe('The index generation the answer was made from'),
});

/** The `collection` argument every tool takes. */
export const collectionArgument = z
  .string()
  .max(64)
  .optional()
  .describe(
    "The collection (document set) to read; default: the server's default collection. The resources list each collection's documents.",
  );

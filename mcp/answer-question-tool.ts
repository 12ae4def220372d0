import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { collectAnswer } from '../core/answer/answer-question.js';
import { parseAnswerInput } from '../core/question/parse-answer-input.js';
import { renderAnswerText } from '../core/answer/render-answer-text.js';
import { answerSchema, collectionArgument } from './answer-schema.js';
import type { McpDependencies } from './mcp-dependencies.js';
import { toolFailure } from './tool-failure.js';

/** The `answer_question` tool: the one pipeline's Answer as structured content, and as readable text. */
export function registerAnswerQuestionTool(server: McpServer, deps: McpDependencies): void {
  const { maxQuestionChars, maxHistoryTurns } = deps.limits;
  server.registerTool(
    'answer_question',
    {
      title: 'Answer from the sources',
      description:
        'Answers a question from the indexed documents, citing them. Every citation is an exact character span of a ' +
        'source document (docId, start, end, quote), verified against the stored text. When the sources do not answer ' +
        'the question, answerable is false with a reason and the closest passages: do not guess beyond them.',
      inputSchema: {
        question: z.string().max(maxQuestionChars).describe('The question, in full'),
        history: z
          .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() }))
          .max(maxHistoryTurns)
          .optional()
          .describe('Earlier turns of the conversation, oldest first, for follow-up questions'),
        k: z.number().int().min(1).max(20).optional().describe("Passages to answer from (default: the server's TOP_K)"),
        mode: z.enum(['extractive', 'generative']).optional().describe("extractive quotes the sources; default: the server's mode"),
        collection: collectionArgument,
      },
      outputSchema: answerSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ question, history, k, mode, collection }, extra) => {
      try {
        const engine = deps.collections.resolve(collection, deps.scope);
        const input = parseAnswerInput({ question, history, k, mode }, deps.limits);
        const answer = await collectAnswer(engine.answer({ ...input, signal: extra.signal }));
        return { content: [{ type: 'text', text: renderAnswerText(answer) }], structuredContent: { ...answer } };
      } catch (error) {
        return toolFailure(error, deps.logError);
      }
    },
  );
}

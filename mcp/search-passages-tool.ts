import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { describeLocation } from '../core/answer/render-answer-text.js';
import type { Passage } from '../core/contracts/types.js';
import { collectionArgument, passageSchema } from './answer-schema.js';
import type { McpDependencies } from './mcp-dependencies.js';
import { toolFailure } from './tool-failure.js';

const DEFAULT_PASSAGES = 10;

/** The `search_passages` tool: the answer pipeline's own hybrid retrieval, ranked, with offsets. */
export function registerSearchPassagesTool(server: McpServer, deps: McpDependencies): void {
  server.registerTool(
    'search_passages',
    {
      title: 'Search the sources',
      description:
        'Ranks passages of the indexed documents for a query (BM25 and dense, fused: the retrieval answer_question uses). ' +
        'Each passage has its document id, its character offsets into the stored text and its text.',
      inputSchema: {
        query: z.string().trim().min(1).max(deps.limits.maxQuestionChars).describe('What to look for'),
        k: z.number().int().min(1).max(50).optional().describe(`How many passages (default ${DEFAULT_PASSAGES})`),
        collection: collectionArgument,
      },
      outputSchema: { query: z.string(), passages: z.array(passageSchema.extend({ rank: z.number() })) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, k, collection }) => {
      try {
        const found = await deps.collections.resolve(collection, deps.scope).search(query, k ?? DEFAULT_PASSAGES);
        const passages = found.map((passage, i) => ({ rank: i + 1, ...passage }));
        return { content: [{ type: 'text', text: renderPassages(passages) }], structuredContent: { query, passages } };
      } catch (error) {
        return toolFailure(error, deps.logError);
      }
    },
  );
}

function renderPassages(passages: (Passage & { rank: number })[]): string {
  if (passages.length === 0) return 'No passage matches.';
  return passages
    .map((p) => `[${p.rank}] ${describeLocation(p)} (characters ${p.start}–${p.end}, score ${p.score})\n${p.text}`)
    .join('\n\n');
}

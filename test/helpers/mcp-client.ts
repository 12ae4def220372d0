import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { expect } from 'vitest';
import { collectAnswer } from '../../core/answer/answer-question.js';
import { renderAnswerText } from '../../core/answer/render-answer-text.js';
import type { Answer, Passage } from '../../core/contracts/types.js';
import type { Engine } from '../../core/engine.js';
import type { SearchIndex } from '../../store/search-index.js';
import { documentText } from './local-engine.js';

/** A question the bundled corpus answers, and the document that answers it. */
export const MCP_QUESTION = 'How many high-performance GPUs will South Korea have?';
export const MCP_DOC_ID = 'south-korea-physical-ai.txt';

/**
 * An MCP SDK client connected over `transport`; transport errors (such as non-protocol output) are
 * collected. Its close goes into `cleanups`.
 */
export async function connectMcp(transport: Transport, cleanups: (() => Promise<void>)[]): Promise<{ client: Client; errors: Error[] }> {
  const errors: Error[] = [];
  transport.onerror = (error) => errors.push(error);
  const client = new Client({ name: 'verbatim-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, errors };
}

/**
 * Both tools and the resources, as any MCP client sees them, the same over every transport:
 * `engine` answers from `index`, which holds the bundled corpus.
 */
export async function expectToolsAndResources(client: Client, engine: Engine, index: SearchIndex): Promise<void> {
  const tools = await client.listTools();
  expect(tools.tools.map((tool) => tool.name).sort()).toEqual(['answer_question', 'search_passages']);
  expect(tools.tools.every((tool) => tool.outputSchema && tool.annotations?.readOnlyHint)).toBe(true);

  const expected = await collectAnswer(engine.answer({ question: MCP_QUESTION }));
  const answered = await client.callTool({ name: 'answer_question', arguments: { question: MCP_QUESTION } });
  expect(answered.isError).toBeFalsy();
  const answer = answered.structuredContent as unknown as Answer;
  expect(answer).toMatchObject({
    answer: expected.answer,
    answerable: true,
    citations: expected.citations,
    confidence: expected.confidence,
  });
  expect(answer.answer).toContain('300,000');
  expect(answered.content).toEqual([{ type: 'text', text: renderAnswerText(answer) }]);
  expect(renderAnswerText(answer)).toContain(`[1] ${MCP_DOC_ID} (characters ${answer.citations[0].start}–${answer.citations[0].end})`);

  // The answer's own retrieval and search_passages are one retrieval: same chunks, same order.
  const searched = await client.callTool({ name: 'search_passages', arguments: { query: MCP_QUESTION, k: 3 } });
  const { passages } = searched.structuredContent as { passages: (Passage & { rank: number })[] };
  expect(passages.map((p) => p.rank)).toEqual([1, 2, 3]);
  expect(passages.map((p) => p.chunkId)).toEqual(expected.passages.slice(0, 3).map((p) => p.chunkId));
  const stored = await documentText(index, MCP_DOC_ID);
  for (const passage of passages) expect(stored.slice(passage.start, passage.end)).toBe(passage.text);
  expect((searched.content as { text: string }[])[0].text).toMatch(
    /^\[1\] south-korea-physical-ai\.txt \(characters \d+–\d+, score [\d.]+\)\n/,
  );

  const resources = await client.listResources();
  expect(resources.resources).toMatchObject([
    {
      uri: `verbatim://sources/${MCP_DOC_ID}`,
      name: MCP_DOC_ID,
      title: (await index.getSummary(MCP_DOC_ID))!.title,
      mimeType: 'text/plain',
      size: stored.length,
    },
  ]);
  const read = await client.readResource({ uri: resources.resources[0].uri });
  const text = (read.contents[0] as { text: string }).text;
  const cited = answer.citations[0];
  expect(text.slice(cited.start, cited.end)).toBe(cited.quote);
  await expect(client.readResource({ uri: 'verbatim://sources/missing.txt' })).rejects.toThrow(/No source with id "missing.txt"/);
}

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../../core/answer/answer-question.js';
import type { ConversationTurn } from '../../core/contracts/types.js';
import { createEngine, type Engine } from '../../core/engine.js';
import { ingestIntoDatabase } from '../../ingest/ingest-into-database.js';
import { startTestDatabase, type TestDatabase } from '../../test/helpers/embedded-database.js';
import { buildLocalIndex, LOCAL_IDENTITY, localEmbedder, localEmbeddings, sourceText } from '../../test/helpers/local-engine.js';
import { CORPUS_DIR, SEED_DEV } from '../../test/paths.js';
import type { LexicalSearchKind } from './generation-tables.js';
import { openPostgresStore } from './postgres-passage-store.js';
import { readCurrentGeneration } from './read-generation.js';

interface Case {
  id: string;
  question: string;
  history?: ConversationTurn[];
  must_include: (string | string[])[];
  unanswerable: boolean;
}

const cases: Case[] = readFileSync(SEED_DEV, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

let test: TestDatabase;
let local: Engine;
const engines = new Map<LexicalSearchKind, Engine>();

beforeAll(async () => {
  test = await startTestDatabase();
  local = createEngine({ store: await buildLocalIndex(CORPUS_DIR), embedder: localEmbedder() });
  for (const lexical of ['bm25', 'fts'] as const) {
    await ingestIntoDatabase({
      sourceDir: CORPUS_DIR,
      database: test.database,
      collection: lexical,
      lexical,
      graceSeconds: 0,
      embeddings: localEmbeddings(),
      embedder: LOCAL_IDENTITY,
      chunking: { chunkSize: 1000, chunkOverlap: 200 },
    });
    const generation = (await readCurrentGeneration(test.database, lexical))!;
    engines.set(
      lexical,
      createEngine({ store: openPostgresStore(test.database, generation), generation: generation.name, embedder: localEmbedder() }),
    );
  }
}, 180_000);

afterAll(async () => {
  await test?.stop();
});

/** An Answer without what differs between any two runs (its id, timings and the generation's name). */
function comparable(answer: Awaited<ReturnType<typeof collectAnswer>>) {
  const { id: _id, timings: _timings, generation: _generation, ...rest } = answer as typeof answer & { generation?: unknown };
  return rest;
}

describe.each(['bm25', 'fts'] as const)('engine.answer on the bundled corpus in Postgres over the wire (%s candidates)', (lexical) => {
  const ask = (question: string, history?: ConversationTurn[]) => collectAnswer(engines.get(lexical)!.answer({ question, history }));

  it.each(cases.filter((c) => !c.unanswerable).map((c) => [c.id, c] as const))(
    '%s answers with its facts and citations verified against the stored text',
    async (_id, testCase) => {
      const answer = await ask(testCase.question, testCase.history);
      expect(answer.answerable).toBe(true);
      for (const item of testCase.must_include) {
        const options = Array.isArray(item) ? item : [item];
        expect(
          options.some((option) => answer.answer.toLowerCase().includes(option.toLowerCase())),
          `${options.join(' | ')} in ${answer.answer}`,
        ).toBe(true);
      }
      expect(answer.citations.length).toBeGreaterThan(0);
      for (const citation of answer.citations) {
        expect(citation.verified).toBe(true);
        expect(await sourceText(engines.get(lexical)!, citation.docId, citation.start, citation.end)).toBe(citation.quote);
      }
    },
  );

  it.each(cases.filter((c) => c.unanswerable).map((c) => [c.id, c] as const))('%s is refused with a reason', async (_id, testCase) => {
    const answer = await ask(testCase.question);
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toMatch(/\w/);
    expect(answer.citations).toEqual([]);
  });

  it('gives every seed question the very answer the local store gives: same passages, scores, text, citations and confidence', async () => {
    for (const testCase of cases) {
      const [fromDatabase, fromLocal] = await Promise.all([
        ask(testCase.question, testCase.history),
        collectAnswer(local.answer({ question: testCase.question, history: testCase.history })),
      ]);
      expect(comparable(fromDatabase), testCase.id).toEqual(comparable(fromLocal));
    }
  });
});

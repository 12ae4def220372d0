import { describe, expect, it } from 'vitest';
import { collectAnswer } from '../core/answer/answer-question.js';
import { createEngine } from '../core/engine.js';
import { hashingEmbedder } from '../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../test/fakes/in-memory-passage-store.js';
import { inProcessTarget } from './run-eval.js';

const documents = Array.from({ length: 12 }, (_, i) => ({
  docId: `report-${i}.txt`,
  title: `report ${i}`,
  text: `Report ${i}: the harbour has ${100 + i} moorings and a tide gauge.`,
}));

describe('inProcessTarget', () => {
  it('takes retrieval from the answer’s own passages event, 10 deep, while the answer uses the first k', async () => {
    const engine = createEngine({ store: await InMemoryPassageStore.fromDocuments(documents), embedder: hashingEmbedder(), topK: 3 });
    const testCase = { id: 'h', question: 'How many moorings does report 7 list?', must_include: [], contexts: [], unanswerable: false };
    const outcome = await inProcessTarget(engine, {}).run(testCase);
    expect(outcome.retrieved).toHaveLength(10);
    expect(outcome.answer.passages).toHaveLength(3);
    expect(outcome.retrieved.slice(0, 3)).toEqual(outcome.answer.passages);
    // The answer odds the model judged it by, which --calibrate fits the confidence to.
    expect(outcome.answerOdds).toBeGreaterThan(0);
    expect(outcome.answerOdds).toBeLessThan(1);
    // Ranking deeper changes nothing the answer is made of.
    const plain = await collectAnswer(engine.answer({ question: testCase.question }));
    expect({ ...outcome.answer, id: '', timings: null }).toEqual({ ...plain, id: '', timings: null });
  });
});

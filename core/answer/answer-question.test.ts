import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashingEmbedder } from '../../test/fakes/hashing-embeddings.js';
import { InMemoryPassageStore } from '../../test/fakes/in-memory-passage-store.js';
import { buildLocalIndex, localEmbedder, sourceText } from '../../test/helpers/local-engine.js';
import { CORPUS_DIR, SEED_DEV } from '../../test/paths.js';
import { collectAnswer } from './answer-question.js';
import { createEngine, type Engine, type EngineParts } from '../engine.js';
import { normalizeText } from '../text/normalize-text.js';
import type { AnswerEvent, ConversationTurn } from '../contracts/types.js';

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

/** The same pipeline tests run over the real local store and over the in-memory fake (no ingest, no word vectors). */
const engines: [string, () => Promise<EngineParts>][] = [
  ['local hnswlib + BM25 store, word vectors', async () => ({ store: await buildLocalIndex(CORPUS_DIR), embedder: localEmbedder() })],
  [
    'in-memory fake store, hashing embedder',
    async () => {
      const docId = 'south-korea-physical-ai.txt';
      const text = normalizeText(readFileSync(join(CORPUS_DIR, docId), 'utf8'));
      return {
        store: await InMemoryPassageStore.fromDocuments([{ docId, title: 'south-korea-physical-ai', text }]),
        embedder: hashingEmbedder(),
      };
    },
  ],
];

describe.each(engines)('engine.answer (extractive) on the bundled corpus, %s', (_name, build) => {
  let parts: EngineParts;
  let engine: Engine;
  beforeAll(async () => {
    parts = await build();
    engine = createEngine(parts);
  });
  const ask = (question: string, history?: ConversationTurn[]) => collectAnswer(engine.answer({ question, history }));

  it.each(cases.filter((c) => !c.unanswerable).map((c) => [c.id, c] as const))(
    '%s answers with its facts and verified citations',
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
        expect(await sourceText(engine, citation.docId, citation.start, citation.end)).toBe(citation.quote);
        expect(answer.answer).toContain(`${citation.quote} [${citation.n}]`);
      }
    },
  );

  it.each(cases.filter((c) => c.unanswerable).map((c) => [c.id, c] as const))(
    '%s is refused with a reason and the closest passages',
    async (_id, testCase) => {
      const answer = await ask(testCase.question);
      expect(answer.answerable).toBe(false);
      expect(answer.reason).toMatch(/\w/);
      expect(answer.citations).toEqual([]);
      expect(answer.passages.length).toBeGreaterThan(0);
      // Off topic (no word of it in the sources): no held-back candidate is offered as if it were close.
      if (answer.reason!.startsWith('No passage in the sources mentions')) expect(answer.candidate).toBeNull();
    },
  );

  it('names the missing topic words as the question wrote them', async () => {
    const answer = await ask('What is the capital of Australia?');
    // Most specific first: a name before a common word where the engine knows how common words are.
    expect(answer.reason).toMatch(/^No passage in the sources mentions “(Australia” or “capital|capital” or “Australia)”\.$/);
  });

  it('does not count the kind of answer asked for ("on which day") as a missing topic', async () => {
    const answer = await ask('On which day did President Lee address parliament?');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toContain('on Tuesday');
  });

  it('adds the neighbouring sentence that completes a quote, in document order', async () => {
    const answer = await ask('What does Nvidia gain from the alliance, according to Lee Seung-hyun?');
    expect(answer.citations.map((c) => c.quote.slice(0, 30))).toEqual(['“This is not just a hardware p', '“In this alliance, Nvidia gain']);
    expect(answer.citations[0].end).toBeLessThan(answer.citations[1].start);
  });

  it('refuses an on-topic question whose kind of fact is missing', async () => {
    const answer = await ask('When will the GPUs be delivered to South Korea?');
    expect(answer.answerable).toBe(false);
  });

  it('resolves a follow-up from the earlier turn', async () => {
    const history: ConversationTurn[] = [
      { role: 'user', content: 'Who did President Lee Jae Myung meet on Friday?' },
      { role: 'assistant', content: 'He met Nvidia Chief Executive Jensen Huang [1].' },
    ];
    const answer = await ask('Which companies did they pledge to work with?', history);
    expect(answer.answer).toContain('Samsung Electronics');
    // The same words after another exchange resolve to that exchange's subject.
    const otherHistory: ConversationTurn[] = [
      { role: 'user', content: 'Which foundation-model developers are opening offices in Seoul?' },
      { role: 'assistant', content: 'OpenAI and Anthropic [1].' },
    ];
    const other = await ask('Which companies did they pledge to work with?', otherHistory);
    expect(other.answer).toContain('OpenAI and Anthropic');
    expect(other.answer).not.toContain('Samsung Electronics');
  });

  it('streams passages, then text, then citations, then done with the same answer', async () => {
    const events: AnswerEvent[] = [];
    for await (const event of engine.answer({ question: 'Which ministry launched the Physical AI Global Alliance?' })) events.push(event);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('passages');
    expect(types.at(-1)).toBe('done');
    expect(types.indexOf('text-delta')).toBeLessThan(types.indexOf('citation'));
    const done = events.at(-1) as Extract<AnswerEvent, { type: 'done' }>;
    const text = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => (e as { text: string }).text)
      .join('');
    expect(text).toBe(done.answer.answer);
    expect(events.filter((e) => e.type === 'citation').map((e) => (e as { citation: unknown }).citation)).toEqual(done.answer.citations);
    expect(done.answer).toMatchObject({ mode: 'extractive', answerable: true, id: expect.stringMatching(/^ans_/) });
  });

  it('times retrieval and answering on the injected clock, and takes its id from the injected source', async () => {
    const ticks = [100, 112.34, 130];
    const timed = createEngine({ ...parts, now: () => ticks.shift()!, createId: () => 'ans_fixed' });
    const answer = await collectAnswer(timed.answer({ question: 'Which ministry launched the Physical AI Global Alliance?' }));
    expect(answer.id).toBe('ans_fixed');
    expect(answer.timings).toEqual({ retrieveMs: 12.3, answerMs: 17.7, totalMs: 30 });
    expect(ticks).toEqual([]);
  });

  it('returns k passages with exact offsets into the stored text', async () => {
    const answer = await collectAnswer(engine.answer({ question: 'Nvidia chips', k: 3 }));
    expect(answer.passages).toHaveLength(3);
    for (const passage of answer.passages) expect(await sourceText(engine, passage.docId, passage.start, passage.end)).toBe(passage.text);
  });
});

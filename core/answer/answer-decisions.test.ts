import { beforeAll, describe, expect, it } from 'vitest';
import { buildLocalIndex, localEngine } from '../../test/helpers/local-engine.js';
import { CORPUS_DIR, ROOT } from '../../test/paths.js';
import { collectAnswer } from './answer-question.js';
import type { Engine } from '../engine.js';
import type { ConversationTurn } from '../contracts/types.js';

/** Decisions of the shipped answerability model on hand-written questions, none from an eval set. */
let article: Engine;
let docs: Engine;
beforeAll(async () => {
  article = localEngine(await buildLocalIndex(CORPUS_DIR));
  docs = localEngine(await buildLocalIndex(`${ROOT}test/fixtures/answers`));
});

const ask = (deps: Engine, question: string, history?: ConversationTurn[]) => collectAnswer(deps.answer({ question, history }));

describe('answer or refuse (extractive, shipped model)', () => {
  it('answers a paraphrase whose words the article does not use', async () => {
    const answer = await ask(article, 'Who did the president sit down with on Friday?');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toContain('Jensen Huang');
    expect(answer.confidence).toBeGreaterThan(0);
  });

  it('refuses the same question about another company, showing the closest candidate and passages', async () => {
    const answer = await ask(article, 'Which companies did Apple pledge to cooperate with?');
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toContain('“Apple”');
    expect(answer.citations).toEqual([]);
    expect(answer.candidate?.answer).toContain('Samsung Electronics');
    expect(answer.candidate?.citations.every((c) => c.verified)).toBe(true);
    expect(answer.passages.length).toBeGreaterThan(0);
  });

  it('refuses a question for a kind of fact no passage holds, whatever the rest of the evidence', async () => {
    const answer = await ask(article, 'When will the GPUs be delivered?');
    expect(answer).toMatchObject({ answerable: false, confidence: 0 });
  });

  it('answers a how-to with the code block and the sentence that introduces it', async () => {
    const answer = await ask(docs, 'How do I install widget?');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toBe('Install the command-line tool globally with npm: [1]\n\n```sh\nnpm install -g widget-cli\n```\n[2]');
    expect(answer.citations.map((c) => c.quote)).toEqual(['Install the command-line tool globally with npm:', 'npm install -g widget-cli']);
  });

  it('answers an option question with the table row under its header', async () => {
    const answer = await ask(docs, 'What is the default port of widget?');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toContain('| `port` | `8080` | Port the preview server listens on. [2] |');
    expect(answer.answer).toMatch(/^\| Option \| Default \| Description \[1\] \|/);
  });

  it('names the API a reference section describes, from its heading, shown as the label of the quote', async () => {
    const answer = await ask(docs, 'How can I make gears stop taking new jobs?');
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toBe('**`queue.pause()`**: Stops taking new jobs; the jobs already running finish first. [1]');
    expect(answer.citations.map((c) => c.quote)).toEqual(['Stops taking new jobs; the jobs already running finish first.']);
  });

  it('leaves out an API heading when the unit names it already', async () => {
    const answer = await ask(docs, 'How do I wait until every queued gears job has finished?');
    expect(answer.answerable).toBe(true);
    expect(answer.citations.map((c) => c.quote)).toEqual(['Call `queue.drain()` to wait until every queued job has finished.']);
  });

  it('quotes the sentence that goes on from the best one', async () => {
    const answer = await ask(docs, 'Does gears 3 still support Node.js 16?');
    expect(answer.answerable).toBe(true);
    expect(answer.citations.map((c) => c.quote)).toEqual([
      'Gears 3 drops support for Node.js 16.',
      'To work around this, pin gears to version 2 in your package.json file.',
    ]);
  });

  it('does not let the conversation hijack a self-contained question, and uses it for one that points back', async () => {
    const history: ConversationTurn[] = [
      { role: 'user', content: 'What is the default theme of widget?' },
      { role: 'assistant', content: '| `theme` | `light` | Colour theme of the rendered dashboards. | [1]' },
    ];
    const fresh = await ask(docs, 'How many times does gears retry a failed job?', history);
    expect(fresh.answer).toContain('retried three times');
    expect(fresh.standaloneQuestion).toBe('How many times does gears retry a failed job?');
    expect(fresh.passages[0].docId).toBe('gears/README.md');
    const followUp = await ask(docs, 'And what port does it use?', history);
    expect(followUp.answer).toContain('`8080`');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../core/answer/answer-question.js';
import type { Answer } from '../core/contracts/types.js';
import { createApp } from '../server/create-app.js';
import { buildLocalIndexDir, localEngine } from '../test/helpers/local-engine.js';
import { runScript } from '../test/helpers/run-script.js';
import { serveApp } from '../test/helpers/serve-app.js';
import { CORPUS_DIR } from '../test/paths.js';
import type { Engine } from '../core/engine.js';
import { renderTerminalAnswer } from './render-terminal-answer.js';

const QUESTION = 'Which companies did Nvidia pledge to cooperate with?';
const OFF_TOPIC = 'What is the capital of Australia?';

let indexDir: string;
let engine: Engine;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const built = await buildLocalIndexDir(CORPUS_DIR);
  indexDir = built.indexDir;
  engine = localEngine(built.index);
  server = await serveApp(createApp({ engine: engine, limits: { maxQuestionChars: 2000, maxHistoryTurns: 4 }, apiKeys: ['k-ask'] }));
});
afterAll(() => server.close());

const ask = (...args: string[]) => runScript('ask/main.ts', args, { INDEX_DIR: indexDir });
const pipelineAnswer = (question: string) => collectAnswer(engine.answer({ question }));

describe('npm run ask', () => {
  it('prints the answer with its confidence and numbered citations (location, offsets, quote) and exits 0', async () => {
    const { code, out, err } = await ask(QUESTION);
    const expected = await pipelineAnswer(QUESTION);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(`${renderTerminalAnswer(expected)}\n`);
    expect(out.startsWith(`Answer (${Math.round(expected.confidence! * 100)}% confidence): ${expected.answer}\n`)).toBe(true);
    const [first] = expected.citations;
    expect(out).toContain(`\nSources:\n[1] south-korea-physical-ai.txt (characters ${first.start}–${first.end})\n    “${first.quote}”`);
  });

  it('prints the whole Answer with --json', async () => {
    const { code, out } = await ask('--json', QUESTION);
    const answer = JSON.parse(out) as Answer;
    const expected = await pipelineAnswer(QUESTION);
    expect(code).toBe(0);
    expect(answer).toMatchObject({ question: QUESTION, answer: expected.answer, citations: expected.citations, answerable: true });
    expect(answer.id).toMatch(/^ans_/);
  });

  it('exits 3 when the sources do not answer, showing the reason and the closest passages', async () => {
    const { code, out } = await ask(OFF_TOPIC);
    expect(code).toBe(3);
    expect(out).toMatch(
      /^Not answered( \(\d+% confidence\))?: The sources do not answer this\. No passage in the sources mentions .*Australia/,
    );
    expect(out).toContain('\nClosest passages:\n- south-korea-physical-ai.txt (characters ');
    expect((await ask('--json', OFF_TOPIC)).code).toBe(3);
  });

  it('asks a running server with --url and --api-key: same answer, same exit codes', async () => {
    const answered = await ask('--url', server.url, '--api-key', 'k-ask', QUESTION);
    expect(answered.code).toBe(0);
    expect(answered.out).toBe(`${renderTerminalAnswer(await pipelineAnswer(QUESTION))}\n`);
    expect((await ask('--url', `${server.url}/`, '--api-key', 'k-ask', OFF_TOPIC)).code).toBe(3);

    const refused = await ask('--url', server.url, '--api-key', 'wrong', QUESTION);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${server.url} answered 401: The API key is not valid.`);
    expect(refused.out).toBe('');
  });

  it('exits 2 with the usage on bad usage, and names a problem it cannot get past', async () => {
    const usages = [[], ['--k', '0', QUESTION], ['--mode', 'poetic', QUESTION], ['--api-key', 'k', QUESTION], ['--nonsense', QUESTION]];
    // Started together: each is a process of its own.
    const [generative, ...results] = await Promise.all([ask('--mode', 'generative', QUESTION), ...usages.map((args) => ask(...args))]);
    results.forEach(({ code, err }, i) => {
      expect(code, usages[i].join(' ')).toBe(2);
      expect(err).toContain('usage: npm run ask -- "question"');
    });
    expect(results.at(-1)!.err).toMatch(/^unknown option --nonsense\n\nusage:/);
    expect(generative.code).toBe(2);
    expect(generative.err).toMatch(/^mode "generative" needs a language model/);
    expect(generative.err).not.toMatch(/\n\s+at /);
  });

  it('lists every option in --help, each on its own line', async () => {
    const { code, out } = await ask('--help');
    expect(code).toBe(0);
    for (const option of ['--json', '--url URL', '--api-key KEY', '--index DIR', '--mode MODE', '--k N', '--help'])
      expect(out).toMatch(new RegExp(`^ {2}(-h, )?${option.replace(/[-]/g, '\\-')} `, 'm'));
  });
});

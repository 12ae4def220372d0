import { beforeAll, describe, expect, it } from 'vitest';
import { buildLocalIndex, localEngine } from '../../test/helpers/local-engine.js';
import { ROOT } from '../../test/paths.js';
import type { Answer, ConversationTurn } from '../contracts/types.js';
import type { Engine } from '../engine.js';
import { collectAnswer } from './answer-question.js';

/**
 * What a new user met with their own documents (issue 21's findings), on documents written for
 * these tests: three package READMEs (tidepool, harbor-log, anchor-cache) and a short report.
 */
let docs: Engine;
let report: Engine;
beforeAll(async () => {
  docs = localEngine(await buildLocalIndex(`${ROOT}test/fixtures/trust`));
  report = localEngine(await buildLocalIndex(`${ROOT}test/fixtures/trust-prose`));
});

const ask = (engine: Engine, question: string, history?: ConversationTurn[]) => collectAnswer(engine.answer({ question, history }));

/** The conversation after one question and its answer. */
const after = (question: string, answer: Answer): ConversationTurn[] => [
  { role: 'user', content: question },
  { role: 'assistant', content: answer.answer },
];

const quoted = (answer: Answer) => answer.citations.map((citation) => citation.quote).join('\n');

describe('follow-ups are checked like questions', () => {
  it('refuses "And when?" after a question about a number, when no passage gives the date', async () => {
    const first = await ask(report, 'How many cranes will the Orion depot have?');
    expect(first.answerable).toBe(true);
    expect(first.answer).toContain('160 cranes');
    const when = await ask(report, 'And when?', after('How many cranes will the Orion depot have?', first));
    expect(when.answerable).toBe(false);
    expect(when.reason).toMatch(/no date or time/);
    expect(when.standaloneQuestion).toContain('How many cranes will the Orion depot have?');
  });

  it('asks the earlier question of the subject a follow-up names, and refuses when that subject does not say', async () => {
    const question = 'How many retries does tidepool make by default?';
    const first = await ask(docs, question);
    expect(first.answer).toContain('`retries` | `3`');
    const other = await ask(docs, 'And in anchor-cache?', after(question, first));
    expect(other.standaloneQuestion).toBe('How many retries does anchor-cache make by default?');
    expect(other.answerable).toBe(false);
    expect(other.reason).toMatch(/^The sources about “anchor-cache” never mention “retries”/);
  });
});

describe('answers come from the subject the question names', () => {
  it('refuses a question about one package that only another package answers, naming what the named one lacks', async () => {
    const answer = await ask(docs, 'What is the default TTL in harbor-log?');
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toBe('The sources about “harbor-log” never mention “TTL”.');
    expect(answer.candidate?.citations.every((citation) => citation.docId === 'harbor-log/README.md') ?? true).toBe(true);
    expect(answer.passages.every((passage) => passage.docId === 'harbor-log/README.md')).toBe(true);
  });

  it('answers from the named package only', async () => {
    const answer = await ask(docs, 'How long do anchor-cache entries live?');
    expect(answer.answerable).toBe(true);
    expect(quoted(answer)).toContain('Defaults to 300');
    expect(answer.citations.every((citation) => citation.docId === 'anchor-cache/README.md')).toBe(true);
  });

  it('refuses a package the sources never mention, naming it rather than the words that frame the question', async () => {
    const answer = await ask(docs, 'How do I configure retries in kafkajs?');
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toContain('“kafkajs”');
    expect(answer.reason).not.toContain('configure');
  });
});

describe('code answers hold the fact asked for', () => {
  it('quotes a short example whole: the comment with the call it introduces, the option with its call', async () => {
    const answer = await ask(docs, 'How do I open a connection with tidepool?');
    expect(answer.answerable).toBe(true);
    const code = quoted(answer);
    expect(code).toContain('// open the connection to the broker\nconst pool = await Tidepool.connect({');
    expect(code).toContain('heartbeat: 30,\n});');
  });

  it('quotes a window of a long example around the line asked about, never ending on a comment or an open line', async () => {
    const answer = await ask(docs, 'How do I set the worker concurrency in tidepool?');
    expect(answer.answerable).toBe(true);
    const code = answer.citations.find((citation) => citation.quote.includes('concurrency: 4'))!.quote;
    expect(code).toContain('const worker = pool.worker(');
    const lastLine = code.trimEnd().split('\n').at(-1)!;
    expect(lastLine).not.toMatch(/^\s*\/\/|[{([,]\s*$/);
  });
});

describe('framing words weigh little', () => {
  it.each(['What is the usual default log level in harbor-log?', 'What default log level does harbor-log stipulate?'])(
    'answers "%s" with the default alone, though no passage uses the word that frames it',
    async (question) => {
      const answer = await ask(docs, question);
      expect(answer.answerable).toBe(true);
      expect(answer.citations.map((citation) => citation.quote)).toEqual(['The default level is `info`; messages below it are dropped.']);
    },
  );
});

describe('answers read as answers', () => {
  it('never quotes a list of links as an answer', async () => {
    const answer = await ask(docs, 'Where is the tidepool documentation?');
    const texts = [answer, ...(answer.candidate ? [answer.candidate] : [])].flatMap((a) => a.citations.map((c) => c.quote));
    expect(texts.some((quote) => /^- \[(Documentation|Changelog)\]/.test(quote))).toBe(false);
  });

  it('keeps each marker on the table row it cites', async () => {
    const answer = await ask(docs, 'How many retries does tidepool make by default?');
    expect(answer.answer).toMatch(/^\| `retries` \| `3` \| Attempts before a job is moved to the dead-letter queue\. \[\d\] \|$/m);
  });
});

describe('confidence on new documents', () => {
  /** Questions on the test documents with what a right answer holds (null: the sources do not answer it). */
  const cases: [string, string | null][] = [
    ['How long do anchor-cache entries live?', 'Defaults to 300'],
    ['How many retries does tidepool make by default?', '`3`'],
    ['When are harbor-log files rotated?', '10 MB'],
    ['What is the default level of harbor-log?', '`info`'],
    ['How many entries does anchor-cache hold by default?', '1000'],
    ['What is the default TTL in harbor-log?', null],
    ['How do I configure retries in kafkajs?', null],
    ['What is the maximum message size in tidepool?', null],
    ['Which database does anchor-cache write to?', null],
    ['How do I compress rotated files in anchor-cache?', null],
  ];

  it('gives no wrong answer a high confidence, and right answers more than wrong ones', async () => {
    const judged = await Promise.all(
      cases.map(async ([question, fact]) => {
        const answer = await ask(docs, question);
        const right = fact !== null && answer.answerable && answer.answer.includes(fact);
        return { shown: answer.answerable, right, confidence: answer.confidence ?? 0 };
      }),
    );
    const shown = judged.filter((j) => j.shown);
    const right = shown.filter((j) => j.right);
    const wrong = shown.filter((j) => !j.right);
    expect(right.length).toBeGreaterThanOrEqual(3);
    expect(wrong.every((j) => j.confidence < 0.8)).toBe(true);
    if (wrong.length > 0) {
      const mean = (list: typeof judged) => list.reduce((sum, j) => sum + j.confidence, 0) / list.length;
      expect(mean(right)).toBeGreaterThan(mean(wrong));
    }
  });
});

/**
 * More of what a new user met with their own READMEs (test/fixtures/new-user: octet, portkit,
 * spanner, tally): values quoted as examples, acronym plurals, a package named by an English
 * word, and follow-ups that say "the same thing" or only name what changes.
 */
describe('a new user’s own READMEs', () => {
  let readmes: Engine;
  beforeAll(async () => {
    readmes = localEngine(await buildLocalIndex(`${ROOT}test/fixtures/new-user`));
  });

  it('judges a question that quotes an example value the docs never hold on its evidence, not vetoed by the value', async () => {
    const answer = await ask(readmes, "spanner(120000) gives me '2m'. How do I get '2 minutes' instead?");
    const shown = answer.answerable ? quoted(answer) : (answer.candidate?.citations ?? []).map((citation) => citation.quote).join('\n');
    expect(shown).toContain('{ long: true }');
    expect(answer.confidence).toBeGreaterThan(0.3);
    expect(answer.reason ?? '').not.toMatch(/120000|2m/);
  });

  it('still refuses, naming it, a number an article never holds', async () => {
    const answer = await ask(report, 'Who ran the Orion depot in 1987?');
    expect(answer.answerable).toBe(false);
    expect(answer.reason).toMatch(/^No passage in the sources mentions “1987”/);
  });

  it('takes "IPs" for the IP the docs write', async () => {
    const answer = await ask(
      readmes,
      'On my dual-stack socket client IPs show up as ::ffff:10.0.0.7. How do I get the plain IPv4 address?',
    );
    expect(answer.answerable).toBe(true);
    expect(answer.answer).toMatch(/^\*\*portkit\.process\(string\)\*\*/);
  });

  it('does not scope to a package whose name is an English word used as a word', async () => {
    const answer = await ask(readmes, 'How many octets does fromOctets expect for an IPv6 address?');
    expect(answer.answerable).toBe(true);
    expect(answer.citations.every((citation) => citation.docId === 'portkit/README.md')).toBe(true);
    expect(quoted(answer)).toContain('16 octets');
    // Written as code, the same word names the package.
    const named = await ask(readmes, 'What does octet.parse return for a string without a unit?');
    expect(named.citations.every((citation) => citation.docId === 'octet/README.md')).toBe(true);
  });

  it('answers a question about a default with a stated default, never with a value an example sets', async () => {
    const stated = await ask(readmes, 'Does spanner round results by default?');
    expect(stated.answerable).toBe(true);
    expect(quoted(stated)).toContain('defaults to `true`');
    const example = await ask(readmes, 'If I don’t set timeoutMs, how long does portkit.lookup wait?');
    expect(example.answerable).toBe(false);
    expect(example.answer).not.toContain('500');
  });

  it('quotes the example under the sentence that introduces it, for a how-to question', async () => {
    const answer = await ask(readmes, 'How do I set the tally level in PowerShell?');
    expect(answer.answerable).toBe(true);
    expect(quoted(answer)).toContain('PowerShell sets environment variables with its own syntax.');
    expect(quoted(answer)).toContain("$env:TALLY_LEVEL = 'verbose'");
  });

  it('resolves "the same thing" with the question before it', async () => {
    const question = 'How do I print a duration in long form with spanner?';
    const first = await ask(readmes, question);
    expect(quoted(first)).toContain('long: true');
    const same = await ask(readmes, 'Can I do the same thing from the command line?', after(question, first));
    expect(same.standaloneQuestion).toBe('Can I do the same thing from the command line? (spanner)');
    expect(same.answerable).toBe(true);
    expect(same.citations.every((citation) => citation.docId === 'spanner/README.md')).toBe(true);
    expect(quoted(same)).toContain('npx spanner 60000 --long');
  });

  it('asks the earlier question again of what a fragment names ("And for an IPv6 address?")', async () => {
    const question = 'Which range name does portkit give a private IPv4 address?';
    const first = await ask(readmes, question);
    expect(quoted(first)).toContain('`private`');
    const fragment = await ask(readmes, 'And for an IPv6 address like fc00::1?', after(question, first));
    expect(fragment.standaloneQuestion).toBe(`${question} For an IPv6 address like fc00::1?`);
  });
});

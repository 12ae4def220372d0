import { describe, expect, it } from 'vitest';
import { wordTokens } from '../text/tokenize.js';
import { expectedAnswerType, sentenceHasType } from './answer-types.js';

const words = (question: string) => new Set(wordTokens(question));

describe('expectedAnswerType', () => {
  it.each([
    ['How many GPUs will Korea have?', 'number'],
    ['What is the population of Seoul?', 'number'],
    ['When will the GPUs be delivered?', 'date'],
    ['In what year was it founded?', 'date'],
    ['What is the price per GPU?', 'money'],
    ['How much will Samsung invest?', 'money'],
    ['Who met Jensen Huang?', 'person'],
    ['Who is Ha Jung-woo?', null],
    ['Which sectors does the alliance target?', null],
    ["What's the default log level?", 'default'],
    ['If I don’t set timeoutMs, how long does lookup wait?', 'default'],
    ['If I don’t pass a callback, what does it return?', 'default'],
    ['How many retries does it make by default?', 'default'],
  ])('%s → %s', (question, type) => {
    expect(expectedAnswerType(question)).toBe(type);
  });
});

describe('sentenceHasType', () => {
  it('takes a stated default, or what happens when a setting is left out, for a default; not a value an example sets', () => {
    const asked = words("What's the default timeout?");
    expect(sentenceHasType('The `timeout` option defaults to 5 seconds.', 'default', asked)).toBe(true);
    expect(sentenceHasType('Returns a promise if no callback is specified.', 'default', asked)).toBe(true);
    expect(sentenceHasType('When the option is omitted, requests never time out.', 'default', asked)).toBe(true);
    expect(sentenceHasType("lookup('example.com', { timeout: 500 }) // give up after half a second", 'default', asked)).toBe(false);
  });

  it('finds dates, clock times and event clauses for "when", but not the question\'s own words', () => {
    expect(sentenceHasType('The depot opens at 7am on weekdays.', 'date', words('When does the depot open?'))).toBe(true);
    // An event clause is not taken for a time: it turns up in sentences that do not answer "when".
    expect(sentenceHasType('He spoke at a side event during the APEC summit.', 'date', words('When did he speak?'))).toBe(false);
    expect(sentenceHasType('It was signed on 3 March 2024.', 'date', words('When was it signed?'))).toBe(true);
    expect(sentenceHasType('The GPUs will quadruple computing power.', 'date', words('When will the GPUs arrive?'))).toBe(false);
    expect(sentenceHasType('The 2026 budget is large.', 'date', words('What did Lee call the 2026 budget?'))).toBe(false);
  });

  it('counts quantities, not years, as numbers; money needs a currency', () => {
    expect(sentenceHasType('More than 300,000 GPUs.', 'number', words('How many GPUs?'))).toBe(true);
    expect(sentenceHasType('Five interconnected levels.', 'number', words('How many levels?'))).toBe(true);
    expect(sentenceHasType('The 2026 budget.', 'number', words('How many projects?'))).toBe(false);
    expect(sentenceHasType('It costs $40,000 each.', 'money', words('What is the price?'))).toBe(true);
    expect(sentenceHasType('It has 300,000 GPUs.', 'money', words('What is the price?'))).toBe(false);
  });

  it('finds a name the question does not already give', () => {
    expect(
      sentenceHasType(
        '“The GPUs have given wings to South Korea,” Lee said.',
        'person',
        words('Who said the GPUs have given wings to South Korea?'),
      ),
    ).toBe(true);
    expect(sentenceHasType('the meeting was productive.', 'person', words('Who attended?'))).toBe(false);
  });
});

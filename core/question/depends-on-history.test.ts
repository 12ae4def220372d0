import { describe, expect, it } from 'vitest';
import { contentTerms } from '../text/tokenize.js';
import { dependsOnHistory, type TopicLookup } from './depends-on-history.js';

const sources = new Set(
  contentTerms('helmet sets headers; pino logs levels; Lee met Huang; rate limits requests per window; the parent logger'),
);
const lookup: TopicLookup = { inSources: (term) => sources.has(term), namesDocument: (term) => ['helmet', 'pino'].includes(term) };

describe('dependsOnHistory', () => {
  it.each([
    ['And what does it default to?', true],
    ['What about the window?', true],
    ['Which companies did they pledge to work with?', true],
    ['Can I make that the default for every query?', true],
    ['Does it pick up the parent\u2019s log level?', true],
    ['How many HTTP headers does helmet set?', false],
    ['How do I compress responses with zlib?', false],
    ['Does it work with pino?', false],
    ['What did Huang tell them?', false],
  ])('%s → %s', (question, expected) => expect(dependsOnHistory(question, lookup)).toBe(expected));
});

import { describe, expect, it } from 'vitest';
import { questionParts } from './question-parts.js';

describe('questionParts', () => {
  it.each([
    ['How many GPUs will Korea get?', ['How many GPUs will Korea get?']],
    [
      'Does MiniSearch stem words? If not, where would I hook that in?',
      ['Does MiniSearch stem words?', 'If not, where would I hook that in?'],
    ],
    ['Which Node version does it need, and can I use it on ES2015?', ['Which Node version does it need', 'can I use it on ES2015?']],
    ['Which methods and status codes does it retry?', ['Which methods and status codes does it retry?']],
  ])('%s', (question, parts) => expect(questionParts(question)).toEqual(parts));
});

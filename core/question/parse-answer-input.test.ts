import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../contracts/invalid-input-error.js';
import { parseAnswerInput, type RawAnswerInput } from './parse-answer-input.js';

const limits = { maxQuestionChars: 50, maxHistoryTurns: 2 };

function problem(raw: RawAnswerInput): { field: string; message: string } {
  try {
    parseAnswerInput(raw, limits);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('the input was accepted');
}

describe('parseAnswerInput: the one input contract', () => {
  it('trims the question and keeps what the surface gave', () => {
    expect(
      parseAnswerInput(
        { question: '  When does the depot open?\n', history: [{ role: 'user', content: 'Hi' }], k: 3, mode: 'extractive' },
        limits,
      ),
    ).toEqual({ question: 'When does the depot open?', history: [{ role: 'user', content: 'Hi' }], k: 3, mode: 'extractive' });
    expect(parseAnswerInput({ question: 'Why?', history: [] }, limits)).toEqual({ question: 'Why?' });
  });

  it.each([
    [{ question: undefined }, 'question', 'question: is required and must be a string'],
    [{ question: 42 }, 'question', 'question: is required and must be a string'],
    [{ question: ' \n ' }, 'question', 'question: must not be empty'],
    [{ question: '?!… \u200b' }, 'question', 'question: must contain a letter or digit'],
    [{ question: 'x'.repeat(51) }, 'question', 'question: must be at most 50 characters'],
    [{ question: 'q', history: 'earlier' }, 'history', 'history: must be a list of {role, content} turns'],
    [{ question: 'q', history: [1, 2, 3].map(() => ({ role: 'user', content: 'a' })) }, 'history', 'history: must have at most 2 turns'],
    [{ question: 'q', history: [{ role: 'system', content: 'a' }] }, 'history[0].role', 'history[0].role: must be "user" or "assistant"'],
    [
      { question: 'q', history: [{ role: 'user', content: 'x'.repeat(201) }] },
      'history[0].content',
      'history[0].content: must be at most 200 characters',
    ],
    [{ question: 'q', history: [{ role: 'user', content: 'a', name: 'me' }] }, 'history[0]', 'history[0]: unknown field "name"'],
    [{ question: 'q', k: 0 }, 'k', 'k: must be at least 1'],
    [{ question: 'q', k: 2.5 }, 'k', 'k: must be a whole number'],
    [{ question: 'q', k: 21 }, 'k', 'k: must be at most 20'],
    [{ question: 'q', k: '3' }, 'k', 'k: must be a number'],
    [{ question: 'q', mode: 'creative' }, 'mode', 'mode: must be "extractive" or "generative"'],
  ])('refuses %j naming the field', (raw, field, message) => {
    expect(problem(raw as RawAnswerInput)).toEqual({ field, message });
  });
});

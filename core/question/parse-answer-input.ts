import { asksSomething } from './asks-something.js';
import { InvalidInputError } from '../contracts/invalid-input-error.js';
import type { AnswerInput, AnswerMode, ConversationTurn } from '../contracts/types.js';

/** How long a question and its history may be (MAX_QUESTION_CHARS, MAX_HISTORY_TURNS). */
export interface InputLimits {
  maxQuestionChars: number;
  maxHistoryTurns: number;
}

/** Most passages one answer may be made from. */
export const MAX_K = 20;

/** An earlier turn may be this many times longer than a question (answers run longer than questions). */
export const HISTORY_TURN_FACTOR = 4;

/** What a surface read off its wire, before the contract is applied. */
export interface RawAnswerInput {
  question?: unknown;
  history?: unknown;
  k?: unknown;
  mode?: unknown;
}

/**
 * The one input contract every surface applies (HTTP, chat completions, MCP, Slack, the
 * terminal): a question of 1 to maxQuestionChars characters after trimming that holds a letter or
 * digit; at most maxHistoryTurns earlier turns of `user` or `assistant`, each at most
 * HISTORY_TURN_FACTOR × maxQuestionChars characters; k a whole number from 1 to MAX_K; mode
 * extractive or generative. Each surface only translates its wire shape into this one; a
 * problem is an InvalidInputError naming the field.
 */
export function parseAnswerInput(raw: RawAnswerInput, limits: InputLimits): Omit<AnswerInput, 'signal'> {
  const input: Omit<AnswerInput, 'signal'> = { question: parseQuestion(raw.question, limits) };
  const history = parseHistory(raw.history, limits);
  if (history) input.history = history;
  if (raw.k !== undefined && raw.k !== null) input.k = parseK(raw.k);
  if (raw.mode !== undefined && raw.mode !== null) input.mode = parseMode(raw.mode);
  return input;
}

function parseQuestion(value: unknown, limits: InputLimits): string {
  if (typeof value !== 'string') throw new InvalidInputError('question', 'question: is required and must be a string');
  const question = value.trim();
  if (question === '') throw new InvalidInputError('question', 'question: must not be empty');
  if (question.length > limits.maxQuestionChars)
    throw new InvalidInputError('question', `question: must be at most ${limits.maxQuestionChars} characters`);
  if (!asksSomething(question)) throw new InvalidInputError('question', 'question: must contain a letter or digit');
  return question;
}

function parseHistory(value: unknown, limits: InputLimits): ConversationTurn[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new InvalidInputError('history', 'history: must be a list of {role, content} turns');
  if (value.length > limits.maxHistoryTurns)
    throw new InvalidInputError('history', `history: must have at most ${limits.maxHistoryTurns} turns`);
  const maxTurnChars = limits.maxQuestionChars * HISTORY_TURN_FACTOR;
  const turns = value.map((turn: unknown, i): ConversationTurn => {
    const field = `history[${i}]`;
    if (!turn || typeof turn !== 'object' || Array.isArray(turn))
      throw new InvalidInputError(field, `${field}: must be a {role, content} turn`);
    const { role, content, ...rest } = turn as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new InvalidInputError(field, `${field}: unknown field "${unknown[0].slice(0, 40)}"`);
    if (role !== 'user' && role !== 'assistant')
      throw new InvalidInputError(`${field}.role`, `${field}.role: must be "user" or "assistant"`);
    if (typeof content !== 'string') throw new InvalidInputError(`${field}.content`, `${field}.content: must be a string`);
    if (content.length > maxTurnChars)
      throw new InvalidInputError(`${field}.content`, `${field}.content: must be at most ${maxTurnChars} characters`);
    return { role, content };
  });
  return turns.length > 0 ? turns : undefined;
}

function parseK(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidInputError('k', 'k: must be a number');
  if (!Number.isInteger(value)) throw new InvalidInputError('k', 'k: must be a whole number');
  if (value < 1) throw new InvalidInputError('k', 'k: must be at least 1');
  if (value > MAX_K) throw new InvalidInputError('k', `k: must be at most ${MAX_K}`);
  return value;
}

function parseMode(value: unknown): AnswerMode {
  if (value !== 'extractive' && value !== 'generative') throw new InvalidInputError('mode', 'mode: must be "extractive" or "generative"');
  return value;
}

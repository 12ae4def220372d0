import { renderAnswerText } from '../core/answer/render-answer-text.js';
import type { Answer } from '../core/contracts/types.js';

/**
 * The Answer for the terminal: the shared plain-text rendering, its answer line led by what the
 * page's badge says ("Answer (87% confidence): …", "Not answered (31% confidence): …"), so a
 * reader weighs the answer before reading it. A refusal's confidence is its closest answer's.
 */
export function renderTerminalAnswer(answer: Answer): string {
  const label = answer.answerable ? 'Answer' : 'Not answered';
  const confidence = typeof answer.confidence === 'number' ? ` (${Math.round(answer.confidence * 100)}% confidence)` : '';
  return `${label}${confidence}: ${renderAnswerText(answer)}`;
}

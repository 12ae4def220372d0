import { randomUUID } from 'node:crypto';
import type { Answer, AnswerMode, Citation } from '../core/contracts/types.js';

/**
 * What Verbatim adds to an OpenAI chat message (`choices[0].message.verbatim`, and the final
 * stream chunk's `choices[0].delta.verbatim`): Chat Completions has no standard place for
 * verified citations, so they ride in this one documented field, exactly as in the Answer.
 */
export interface VerbatimMessageFields {
  /** The Answer's id (`ans_…`). */
  id: string;
  answerable: boolean;
  reason: string | null;
  confidence: number | null;
  mode: AnswerMode;
  notice: string | null;
  citations: Citation[];
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The identity every chunk of one completion shares. */
export interface CompletionIdentity {
  id: string;
  created: number;
  model: string;
}

/** A new completion id and creation time (seconds) for `model`. */
export function newCompletionIdentity(model: string): CompletionIdentity {
  return { id: `chatcmpl-${randomUUID().replace(/-/g, '')}`, created: Math.floor(Date.now() / 1000), model };
}

/** The Answer's fields a chat message carries besides its content. */
export function verbatimFields(answer: Answer): VerbatimMessageFields {
  return {
    id: answer.id,
    answerable: answer.answerable,
    reason: answer.reason,
    confidence: answer.confidence,
    mode: answer.mode,
    notice: answer.notice,
    citations: answer.citations,
  };
}

/** The Answer as an OpenAI `chat.completion`: the answer text with its [n] markers, citations in `verbatim`. */
export function renderChatCompletion(answer: Answer, identity: CompletionIdentity, promptText: string) {
  return {
    id: identity.id,
    object: 'chat.completion' as const,
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: answer.answer, refusal: null, verbatim: verbatimFields(answer) },
        logprobs: null,
        finish_reason: 'stop' as const,
      },
    ],
    usage: estimateUsage(promptText, answer.answer),
  };
}

/**
 * Token counts for `usage`, estimated at four characters a token (OpenAI's rule of thumb for
 * English): extractive answers use no model, so there is no tokenizer's count to report, and a
 * tokenizer dependency would only make an estimate look exact.
 */
export function estimateUsage(promptText: string, completionText: string): ChatUsage {
  const prompt = Math.ceil(promptText.length / 4);
  const completion = Math.ceil(completionText.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

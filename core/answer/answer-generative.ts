import { NOT_IN_SOURCES, renderAnswerPrompt } from '../../prompts/answer-prompt.js';
import type { ChatModel } from '../contracts/chat-model.js';
import { CitationMapper, takeCompleteSentences } from '../citations/map-citations.js';
import type { AnswerEvent, Citation, Passage } from '../contracts/types.js';
import type { CitationVerifier } from '../citations/verify-citations.js';

export interface GenerativeResult {
  answerable: boolean;
  reason: string | null;
  answer: string;
  citations: Citation[];
  dropped: number;
}

/**
 * Streams a chat model's answer from numbered passages, one complete sentence at a time, so
 * every delta already carries its verified-span markers: markers are mapped to citations, and
 * each citation verified against the stored text, as its sentence completes; unsupported or
 * unverifiable ones never reach the client.
 * Yields `text-delta` and `citation` events; returns the composed result.
 */
export async function* answerGenerative(
  model: ChatModel,
  question: string,
  passages: Passage[],
  verify: CitationVerifier,
  signal?: AbortSignal,
): AsyncGenerator<AnswerEvent, GenerativeResult> {
  const mapper = new CitationMapper(passages, verify);
  let buffer = '';
  let answer = '';
  let refusing: boolean | null = null;

  async function* emit(sentences: string[]): AsyncGenerator<AnswerEvent> {
    for (const sentence of sentences) {
      const { text, added } = await mapper.mapSentence(sentence);
      answer += text;
      if (text.length > 0) yield { type: 'text-delta', text };
      for (const citation of added) yield { type: 'citation', citation };
    }
  }

  for await (const token of model.streamChat(renderAnswerPrompt(question, passages), { signal })) {
    buffer += token;
    if (refusing === null) {
      const head = buffer.trimStart();
      if (head.length < NOT_IN_SOURCES.length && NOT_IN_SOURCES.startsWith(head)) continue;
      refusing = head.startsWith(NOT_IN_SOURCES);
    }
    if (refusing) continue;
    const { sentences, rest } = takeCompleteSentences(buffer);
    buffer = rest;
    yield* emit(sentences);
  }
  const head = buffer.trimStart();
  if (refusing || head.startsWith(NOT_IN_SOURCES)) {
    const reason = head.slice(NOT_IN_SOURCES.length).trim() || 'The passages do not contain the answer.';
    return { answerable: false, reason, answer: `The sources do not answer this. ${reason}`, citations: [], dropped: 0 };
  }
  if (buffer.length > 0) yield* emit([buffer]);
  return { answerable: true, reason: null, answer: answer.trim(), citations: mapper.citations, dropped: mapper.dropped };
}

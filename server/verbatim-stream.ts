import type { Answer, AnswerEvent } from '../core/contracts/types.js';
import type { SseMessage, StreamMapper } from './sse.js';

/**
 * Verbatim's own wire format: `passages` ({passages, standaloneQuestion}), `delta` ({text}),
 * `citation` ({citation}), `done` (the whole Answer, as `present` renders it) and `error`
 * ({error: {code, message}}).
 */
export function verbatimStream(present: (answer: Answer) => unknown): StreamMapper<AnswerEvent> {
  return {
    map(event) {
      switch (event.type) {
        case 'passages':
          return [message('passages', { passages: event.passages, standaloneQuestion: event.standaloneQuestion })];
        case 'text-delta':
          return [message('delta', { text: event.text })];
        case 'citation':
          return [message('citation', { citation: event.citation })];
        case 'done':
          return [message('done', present(event.answer))];
      }
    },
    error: (error) => message('error', { error }),
  };
}

function message(event: string, payload: unknown): SseMessage {
  return { event, data: JSON.stringify(payload) };
}

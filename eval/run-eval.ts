import type { Engine } from '../core/engine.js';
import type { Answer, AnswerEvent, AnswerMode, Citation, Passage } from '../core/contracts/types.js';
import type { EvalCase } from './load-cases.js';
import type { CaseOutcome } from './metrics.js';

/** Where cases are answered: in process, or by a running server. */
export interface EvalTarget {
  run(testCase: EvalCase): Promise<Omit<CaseOutcome, 'testCase'>>;
}

export interface TargetOptions {
  mode?: AnswerMode;
  k?: number;
  /** The collection a server answers from (httpTarget); in process, the engine is the collection's. */
  collection?: string;
}

/** Retrieval metrics look at this many passages (MRR@10). */
const RETRIEVAL_DEPTH = 10;

/**
 * Answers in process through the same engine the server uses. Retrieval metrics come
 * from that answer's own `passages` event, ranked 10 deep (the answer still uses the first k),
 * and each citation is checked again against the store's text. The answer odds the model judged
 * the answer by are kept (they are what `--calibrate` fits a confidence to).
 */
export function inProcessTarget(engine: Engine, options: TargetOptions): EvalTarget {
  return {
    async run(testCase) {
      const started = performance.now();
      let answerOdds: number | null = null;
      let modelConfidence: number | null = null;
      const events = engine.answer({
        question: testCase.question,
        history: testCase.history,
        k: options.k,
        mode: options.mode,
        retrievalDepth: RETRIEVAL_DEPTH,
        // Odds measured with no evidence (nothing to quote) or for a refusal by rule were never the model's to judge.
        onEvidence: (observation) => {
          const judged = observation.features !== null && !observation.ruledOut;
          answerOdds = judged ? observation.answerOdds : null;
          modelConfidence = judged ? observation.modelConfidence : null;
        },
      });
      const { answer, retrieved } = await collectOutcome(events);
      const latencyMs = performance.now() - started;
      const citationChecks = await Promise.all(answer.citations.map((citation) => quotedExactly(engine, citation)));
      return { answer, retrieved, citationChecks, latencyMs, answerOdds, modelConfidence };
    },
  };
}

/** Whether the engine's stored text holds the citation's quote exactly at its offsets. */
async function quotedExactly(engine: Engine, citation: Citation): Promise<boolean> {
  const source = await engine.source(citation.docId, (characters) => ({
    start: Math.min(citation.start, characters),
    end: Math.min(citation.end, characters),
  }));
  return source !== undefined && source.start === citation.start && source.end === citation.end && source.text === citation.quote;
}

/** The Answer of the `done` event and the ranked passages of the `passages` event. */
async function collectOutcome(events: AsyncIterable<AnswerEvent>): Promise<{ answer: Answer; retrieved: Passage[] }> {
  let retrieved: Passage[] = [];
  for await (const event of events) {
    if (event.type === 'passages') retrieved = event.retrieved ?? event.passages;
    if (event.type === 'done') return { answer: event.answer, retrieved };
  }
  throw new Error('The answer stream ended without a done event');
}

/**
 * Answers through a running server's POST /v1/answer. Retrieval metrics use the answer's own
 * passages (asked for 10 when --k is not given), and each citation is checked against the
 * server's GET /v1/sources/:docId text at its span.
 */
export function httpTarget(baseUrl: string, apiKey: string | undefined, options: TargetOptions): EvalTarget {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  // Each citation's span is fetched on its own: GET /v1/sources/:docId returns a bounded range, never a whole large document.
  const storedSpan = async (docId: string, start: number, end: number) => {
    const collection = options.collection ? `&collection=${encodeURIComponent(options.collection)}` : '';
    const url = `${baseUrl}/v1/sources/${docId.split('/').map(encodeURIComponent).join('/')}?start=${start}&end=${end}${collection}`;
    const response = await fetch(url, { headers });
    if (!response.ok) return null;
    const source = (await response.json()) as { text: string; start?: number };
    // A server from before ranges sends the whole text.
    return source.start === undefined ? source.text.slice(start, end) : source.text;
  };
  return {
    async run(testCase) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/v1/answer`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          question: testCase.question,
          history: testCase.history,
          k: options.k ?? RETRIEVAL_DEPTH,
          mode: options.mode,
          collection: options.collection,
        }),
      });
      const body = (await response.json().catch(() => null)) as (Answer & { error?: { message: string } }) | null;
      if (!response.ok || !body) throw new Error(`${baseUrl} answered ${response.status}: ${body?.error?.message ?? 'no body'}`);
      const latencyMs = performance.now() - started;
      const citationChecks = await Promise.all(body.citations.map(async (c) => (await storedSpan(c.docId, c.start, c.end)) === c.quote));
      return { answer: body, retrieved: body.passages as Passage[], citationChecks, latencyMs };
    },
  };
}

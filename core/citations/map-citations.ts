import { splitSentences } from '../text/split-sentences.js';
import { contentTerms } from '../text/tokenize.js';
import type { Citation, Passage } from '../contracts/types.js';
import type { CitationVerifier } from './verify-citations.js';

/** Share of an answer sentence's terms a passage sentence must contain to support it. */
const MIN_SUPPORT = 0.3;

/** One or more markers: [1], [1][2], [1, 2], [1; 2], and "[Passage 1]" as local models write it. */
const MARKER_GROUP = /\s*((?:\[\s*(?:passages?\s*)?\d+(?:\s*[,;]\s*(?:passages?\s*)?\d+)*\s*\])+)/gi;

/**
 * Turns a model's `[n]` markers (passage numbers) into citations of exact spans: for each
 * marker, the sentence of passage n that best supports the answer sentence. Markers that
 * point to no passage, to a passage that does not support the sentence, or to a span that is not
 * exactly the stored document's text are dropped and counted. Every citation is verified as it
 * is created, so none is ever emitted unverified. Citations are numbered in order of first use
 * and markers rewritten to match.
 */
export class CitationMapper {
  readonly citations: Citation[] = [];
  dropped = 0;

  constructor(
    private readonly passages: Passage[],
    private readonly verify: CitationVerifier,
  ) {}

  /** Rewrites the markers of one answer sentence; returns it and the citations it added. */
  async mapSentence(sentence: string): Promise<{ text: string; added: Citation[] }> {
    const claim = new Set(contentTerms(sentence.replace(MARKER_GROUP, ' ')));
    const added: Citation[] = [];
    const groups = [...sentence.matchAll(MARKER_GROUP)];
    const replacements: string[] = [];
    for (const [, group] of groups) {
      const numbers = [...group.matchAll(/\d+/g)].map((m) => Number(m[0]));
      const kept = new Set<number>();
      for (const passageNumber of numbers) {
        const citation = await this.cite(passageNumber, claim, added);
        if (citation) kept.add(citation.n);
        else this.dropped++;
      }
      replacements.push(kept.size === 0 ? '' : ` ${[...kept].map((n) => `[${n}]`).join('')}`);
    }
    let index = 0;
    const text = sentence.replace(MARKER_GROUP, () => replacements[index++]);
    return { text, added };
  }

  private async cite(passageNumber: number, claim: Set<string>, added: Citation[]): Promise<Citation | null> {
    const passage = this.passages[passageNumber - 1];
    if (!passage || claim.size === 0) return null;
    let best: { start: number; end: number; text: string; support: number } | null = null;
    for (const span of splitSentences(passage.text, passage.start)) {
      const terms = new Set(contentTerms(span.text));
      const support = [...claim].filter((term) => terms.has(term)).length / claim.size;
      if (!best || support > best.support) best = { ...span, support };
    }
    if (!best || best.support < MIN_SUPPORT) return null;
    const existing = this.citations.find((c) => c.docId === passage.docId && c.start === best.start && c.end === best.end);
    if (existing) return existing;
    const citation = await this.verify({
      n: this.citations.length + 1,
      docId: passage.docId,
      title: passage.title,
      chunkId: passage.chunkId,
      start: best.start,
      end: best.end,
      quote: best.text,
      verified: false,
    });
    if (!citation) return null;
    this.citations.push(citation);
    added.push(citation);
    return citation;
  }
}

/**
 * Splits streamed text into complete sentences and the unfinished rest. A sentence ends at
 * a line break, or at . ! ? (with any closing quote and trailing [n] markers) followed by
 * whitespace and the start of the next sentence; markers are never split from their sentence.
 */
export function takeCompleteSentences(buffer: string): { sentences: string[]; rest: string } {
  const boundary = /(?<=[.!?]["”’)]*(?:\s*\[[\w,;\s]+\])*)\s+(?=[^\s[])|\n+/g;
  const sentences: string[] = [];
  let from = 0;
  for (const match of buffer.matchAll(boundary)) {
    const end = match.index + match[0].length;
    sentences.push(buffer.slice(from, end));
    from = end;
  }
  return { sentences, rest: buffer.slice(from) };
}

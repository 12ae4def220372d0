import type { AnswerUnit } from './answer-units.js';
import { weightedCoverage, type WeightedTerms } from '../question/question-terms.js';
import { boundedMemo } from '../text/bounded-memo.js';
import { contentTermSet, wordTokens } from '../text/tokenize.js';

/** An answer unit with how well it matches the question. */
export interface ScoredUnit extends AnswerUnit {
  /**
   * The heading shown with the unit when it names what the unit is about (an option, a function)
   * and the unit does not: context for the reader, not a quote of its own.
   */
  label?: string;
  /** Stemmed content terms of everything the unit shows (its spans and its label). */
  terms: ReadonlySet<string>;
  /** IDF-weighted share of the question's terms the unit shows (0..1). */
  coverage: number;
  /** Coverage counting the headings above the unit at half weight. */
  contextCoverage: number;
  /** Cosine between question and unit embeddings, 0 without an embedder. */
  similarity: number;
  score: number;
}

/** How much a question term found only in the headings above a unit counts. */
const CONTEXT_WEIGHT = 0.5;

/**
 * Scores each unit against the question: mostly term coverage (headings above it count half),
 * some embedding similarity, a little passage rank and earlier-turn terms. Best first.
 */
export function scoreUnits(
  units: AnswerUnit[],
  terms: WeightedTerms,
  historyTerms: WeightedTerms,
  questionVector: number[] | null,
  embedSync: ((text: string) => number[]) | undefined,
): ScoredUnit[] {
  const scored = units.map((original): ScoredUnit => {
    const unit = withNamingHeading(original, terms);
    const shown = [unit.label ?? '', ...unit.spans.map((span) => span.text)].join('\n');
    const unitTerms = contentTermSet(shown);
    const contextTerms = contentTermSet(unit.context);
    const coverage = weightedCoverage(terms, unitTerms);
    const contextOnly = new Set([...contextTerms].filter((term) => !unitTerms.has(term)));
    const contextCoverage = coverage + CONTEXT_WEIGHT * weightedCoverage(terms, contextOnly);
    const similarity = questionVector && embedSync ? cosine(questionVector, memoizedEmbedder(embedSync)(shown)) : 0;
    const brevityPenalty = wordCount(unit.text) < 4 ? 0.5 : 1;
    // Earlier turns only break ties between units that match the question itself.
    const history = historyTerms.size > 0 ? weightedCoverage(historyTerms, unitTerms) : 0;
    const score = brevityPenalty * (0.65 * contextCoverage + 0.25 * Math.max(similarity, 0) + 0.1 / (1 + unit.passageRank) + 0.1 * history);
    return { ...unit, terms: unitTerms, coverage, contextCoverage, similarity, score };
  });
  return scored.sort((a, b) => b.score - a.score || a.passageRank - b.passageRank || a.start - b.start);
}

/**
 * The unit labelled with its heading when the heading holds a question term the unit lacks: in
 * reference docs the heading often names the option or function the text describes.
 */
function withNamingHeading(unit: AnswerUnit, terms: WeightedTerms): AnswerUnit & { label?: string } {
  if (!unit.heading || unit.spans.some((span) => span.start <= unit.heading!.start && unit.heading!.end <= span.end)) return unit;
  const own = new Set(unit.spans.flatMap((span) => [...contentTermSet(span.text)]));
  const headingTerms = [...contentTermSet(unit.heading.text)];
  // The document's own title is no label: the question already names what the whole document is about.
  if (unit.heading.text.trim().toLowerCase() === unit.passage.title.trim().toLowerCase()) return unit;
  const named =
    headingTerms.some((term) => terms.has(term) && !own.has(term)) ||
    (namesCode(unit.heading.text) && codeTerms(unit.heading.text).some((term) => !own.has(term)));
  return named ? { ...unit, label: unit.heading.text } : unit;
}

/**
 * Whether a heading names a piece of an API (`base` (Object), app.get(path, callback),
 * stopOnComplete): what the text under it describes, which an answer quoting that text must
 * name to be of use ("Set to `undefined` to avoid adding `pid`..." sets what?).
 */
function namesCode(heading: string): boolean {
  return heading.length <= 80 && (/`[^`]+`/.test(heading) || /^[\w$.]*([a-z][A-Z]|[\w$]\.[\w$]|[\w$]\()/.test(heading.trim()));
}

/** Terms of a heading's code spans (`base` of "`base` (Object)"), or of all of it when it has none. */
function codeTerms(heading: string): string[] {
  const spans = heading.match(/`[^`]+`/g);
  return [...contentTermSet(spans ? spans.join(' ') : heading)];
}

/** How many words a unit's own text has, remembered across questions. */
const wordCount = boundedMemo((text: string) => wordTokens(text).length, 20_000);

/** Each embedder's unit embeddings, remembered across questions. */
function memoizedEmbedder(embed: (text: string) => number[]): (text: string) => number[] {
  let memo = embedders.get(embed);
  if (!memo) {
    memo = boundedMemo(embed, 5_000);
    embedders.set(embed, memo);
  }
  return memo;
}
const embedders = new WeakMap<(text: string) => number[], (text: string) => number[]>();

/** Cosine of two vectors (0 when either is zero). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

import { measureEvidence, type Evidence } from '../evidence/answer-evidence.js';
import type { AnalysedQuestion } from '../question/analyse-question.js';
import { sentenceHasType } from '../question/answer-types.js';
import { buildAnswerUnits, type UnitSource } from '../units/answer-units.js';
import { judgeAnswerability, type AnswerabilityModel } from '../evidence/answerability-model.js';
import type { CorpusCalibration } from '../evidence/confidence-calibration.js';
import { composeAnswer, type ComposedAnswer } from './compose-answer.js';
import { weightedCoverage, type WeightedTerms } from '../question/question-terms.js';
import { refusalReason, unknownNamesReason } from '../evidence/refusal-reason.js';
import { scoreUnits, type ScoredUnit } from '../units/score-units.js';
import type { TermStatistics } from '../question/term-statistics.js';
import type { Passage } from '../contracts/types.js';

export interface ExtractiveInput {
  /** The question, analysed once (core/question/analyse-question.ts). */
  question: AnalysedQuestion;
  passages: Passage[];
  /** IDF of the question's and history's terms over the store (fetched once per question). */
  statistics: TermStatistics;
  /** Each passage (in order) with the blocks it was cut from: answer units are cut from them. */
  sources: UnitSource[];
  embedSync?: (text: string) => number[];
  model: AnswerabilityModel;
  /** A team's own calibration of the confidence, in place of the model's. */
  calibration?: CorpusCalibration;
  /** MIN_CONFIDENCE: answers below it are refused (default: the calibration's, else the model's trained threshold). */
  minConfidence?: number;
}

export interface ExtractiveResult extends ComposedAnswer {
  answerable: boolean;
  reason: string | null;
  /** Calibrated probability that the quoted answer is right. */
  confidence: number;
  /** The answerability model's answer odds, which calibration maps to the confidence (0 when nothing was measured). */
  answerOdds: number;
  /** The model's own calibrated confidence, before a team's calibration (0 when nothing was measured or refused by rule). */
  modelConfidence: number;
  /** On a refusal: the answer that was not confident enough, for a reader to judge. */
  candidate: ComposedAnswer | null;
  evidence: Evidence | null;
  /** Refused by rule: no candidate holds the kind of fact asked for. */
  ruledOut: boolean;
}

/** How a sentence opens when it goes on from the one before it. */
const CONTINUES =
  /^["“(]?(it|its|this|these|that|those|they|their|he|his|she|her|such|but|however|instead|otherwise|thus|hence|therefore|as a result|in turn|to (work around|avoid|fix|prevent|change|disable|enable) (this|that|it))\b/i;

/** Extra units must score this close to the best one, and add this much coverage. */
const EXTRA_UNIT_RATIO = 0.85;
const EXTRA_UNIT_GAIN = 0.05;
/**
 * A unit right next to a chosen one (a quote and its attribution, say) may score lower,
 * but must bring over a third of the question's weight that the chosen ones lack.
 */
const NEIGHBOUR_UNIT_RATIO = 0.5;
const NEIGHBOUR_UNIT_GAIN = 0.35;
const MAX_UNITS = 3;
/** Questions asking how to do something: their answer is often an example. */
const HOW_TO = /^\s*(?:and\s+)?how\s+(?:do|does|would|can|could|should|might)\s+(?:i|we|you|one)\b|\bhow\s+to\b/i;
/** Characters between a sentence and the code block right under it (blank line, fence and language). */
const EXAMPLE_GAP = 40;
/** Extra units join only while the quoted text stays under this many characters. */
const MAX_ANSWER_CHARS = 350;
/** A unit holding the asked-for kind of fact is preferred unless it covers under half as much as the best. */
const TYPED_COVERAGE_RATIO = 0.5;
/** A part's unit must bring this share of the part's own words that the answer lacks. */
const PART_MIN_GAIN = 0.3;

/**
 * Answers by quoting: picks the one to three units of the retrieved passages (sentences, or
 * list items, code and table rows of structured documents) that best answer the question,
 * measures the evidence that they do, and answers when the answerability model finds a right
 * answer likely enough against the sources lacking one (`minConfidence`); otherwise refuses,
 * naming what was found and what is missing.
 */
export function answerExtractive(input: ExtractiveInput): ExtractiveResult {
  const { passages, statistics } = input;
  const question = withinSubject(input.question);
  if (passages.length === 0) return refusal('The index holds no passage to answer from.', null, null);
  const { terms, answerType } = question;
  const units = scoreUnits(buildAnswerUnits(input.sources), terms, question.contextTerms, question.vector, input.embedSync);
  const typed = answerType
    ? units.filter((unit) => sentenceHasType(unit.spans.map((s) => s.text).join(' '), answerType, question.tokenSet))
    : units;
  const best = typed[0] && typed[0].coverage >= TYPED_COVERAGE_RATIO * (units[0]?.coverage ?? 0) ? typed[0] : units[0];
  if (!best) {
    const about = question.subjects.map((subject) => `“${subject.name}”`).join(' or ');
    return refusal(about ? `The sources about ${about} do not answer this.` : 'No passage holds a sentence to answer from.', null, null);
  }
  // No candidate holds the kind of fact asked for (a number for "how many", a date for "when"):
  // whatever the other evidence, no quote can be the answer.
  const typeMissing = answerType !== null && best !== typed[0];
  // Nor can any quote answer about a name the sources never mention ("kafkajs" asked of other
  // packages' docs), nor a quote that holds no word of the question (an example that is merely close).
  // A value the question quotes (a number, a year, a version) that the sources never hold rules an
  // article or a paper out ("a population of 3,792,261"), not a reference page, where values in a
  // question are mostly example inputs ("ms(120000) gives '2m'").
  const unknown = [...question.unknownNames, ...(best.structured ? [] : question.unknownValues)];
  const ruledOut = typeMissing || unknown.length > 0 || best.coverage === 0;
  const chosen = chooseUnits(question, best, answerType ? typed : units);

  const largestIdf = Math.log(1 + Math.max(1, statistics.chunkCount));
  const evidence = measureEvidence({
    question,
    relativeWeight: (term) => (question.judgedTerms.get(term) ?? statistics.idf(term)) / largestIdf,
    passages,
    units,
    chosen,
  });
  const judgement = judgeAnswerability(input.model, evidence.features, { corpus: input.calibration, minConfidence: input.minConfidence });
  const confidence = ruledOut ? 0 : round(judgement.confidence);
  const answerOdds = judgement.answerOdds;
  const modelConfidence = ruledOut ? 0 : round(judgement.modelConfidence);
  const composed = composeAnswer(chosen);
  if (ruledOut || !judgement.answer) {
    const reason =
      unknown.length > 0
        ? unknownNamesReason(unknown, evidence)
        : refusalReason(
            evidence,
            answerType,
            question.subjects.map((subject) => subject.name),
          );
    return { ...refusal(reason, composed, evidence, confidence), answerOdds, modelConfidence, ruledOut };
  }
  return {
    ...composed,
    answerable: true,
    reason: null,
    confidence,
    answerOdds,
    modelConfidence,
    candidate: null,
    evidence,
    ruledOut: false,
  };
}

/**
 * The best unit; then, for each later part of a multi-part question, the unit that best
 * answers that part; the sentence that goes on from the best one; units holding code names the
 * question gives; then units that add missing parts of the question. At most three, within
 * MAX_ANSWER_CHARS, in document order.
 */
function chooseUnits(question: AnalysedQuestion, best: ScoredUnit, candidates: ScoredUnit[]): ScoredUnit[] {
  const { terms, parts } = question;
  const chosen = [best];
  const covered = new Set(best.terms);
  let length = shownLength(best);
  const free = (candidate: ScoredUnit) => !chosen.some((c) => c === candidate || overlaps(c, candidate));
  /** Adds a unit while there is room: at most three, and a longer answer is not a better one. */
  const add = (unit: ScoredUnit) => {
    if (chosen.length >= MAX_UNITS || length + shownLength(unit) > MAX_ANSWER_CHARS) return false;
    chosen.push(unit);
    length += shownLength(unit);
    for (const term of unit.terms) covered.add(term);
    return true;
  };
  for (const part of parts) {
    const scoreFor = (unit: ScoredUnit) => weightedCoverage(part.terms, unit.terms) + 0.2 / (1 + unit.passageRank);
    const pick = candidates
      .filter(free)
      .reduce<ScoredUnit | null>((top, unit) => (!top || scoreFor(unit) > scoreFor(top) ? unit : top), null);
    // Only a unit that brings what the chosen ones lack of this part's own words answers it.
    if (pick && weightedCoverage(part.own, new Set([...pick.terms].filter((t) => !covered.has(t)))) >= PART_MIN_GAIN) add(pick);
  }
  // The sentence right after the best one, when it goes on from it ("But a storm dispersed the
  // fleet.", "To work around this, ..."): the best one's point often ends there.
  const continuation = candidates.find(
    (unit) => unit.kind === 'sentence' && unit.docId === best.docId && isNextTo(best, unit) && CONTINUES.test(unit.text) && free(unit),
  );
  if (continuation) add(continuation);
  // A how-to question answered by the sentence that introduces an example ("PowerShell uses a
  // different syntax." above the snippet): the example is the answer, so it is quoted with it.
  if (HOW_TO.test(question.resolved) && best.kind !== 'code') {
    const example = candidates.find(
      (unit) =>
        unit.kind === 'code' && unit.docId === best.docId && unit.start > best.end && unit.start - best.end <= EXAMPLE_GAP && free(unit),
    );
    if (
      example &&
      !candidates.some((unit) => unit.docId === best.docId && unit.start >= best.end && unit.end <= example.start && unit !== example)
    )
      add(example);
  }
  // A name the question gives (an option, a function) that the chosen units never mention.
  for (const name of question.codeNames) {
    const holder = covered.has(name) ? undefined : candidates.find((candidate) => candidate.terms.has(name) && free(candidate));
    if (holder) add(holder);
  }
  const gainOf = (candidate: ScoredUnit) => weightedCoverage(terms, new Set([...candidate.terms].filter((t) => !covered.has(t))));
  const adjacent = (candidate: ScoredUnit) =>
    chosen.some((c) => c.docId === candidate.docId && (isNextTo(c, candidate) || isNextTo(candidate, c)));
  for (const candidate of candidates) {
    if (chosen.length >= MAX_UNITS) break;
    if (!free(candidate)) continue;
    const [ratio, minimumGain] = adjacent(candidate) ? [NEIGHBOUR_UNIT_RATIO, NEIGHBOUR_UNIT_GAIN] : [EXTRA_UNIT_RATIO, EXTRA_UNIT_GAIN];
    if (candidate.score >= ratio * best.score && gainOf(candidate) >= minimumGain) add(candidate);
  }
  // In document order, so a quote follows its attribution and a list its lead-in.
  return chosen.sort((a, b) => (a.docId === b.docId ? a.start - b.start : 0));
}

/** Characters of text a unit shows. */
function shownLength(unit: ScoredUnit): number {
  return unit.spans.reduce((sum, span) => sum + span.text.length, 0);
}

/** Whether `b` starts right after `a` ends (only whitespace between them). */
function isNextTo(a: ScoredUnit, b: ScoredUnit): boolean {
  const gap = b.start - a.end;
  return gap >= 0 && gap <= 3;
}

function overlaps(a: ScoredUnit, b: ScoredUnit): boolean {
  return a.docId === b.docId && a.spans.some((x) => b.spans.some((y) => x.start < y.end && y.start < x.end));
}

function refusal(reason: string, candidate: ComposedAnswer | null, evidence: Evidence | null, confidence = 0): ExtractiveResult {
  return {
    answerable: false,
    reason,
    answer: `The sources do not answer this. ${reason}`,
    citations: [],
    confidence,
    answerOdds: 0,
    modelConfidence: 0,
    candidate,
    evidence,
    ruledOut: false,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * The question as judged among its subject's documents: when it names a subject of the corpus
 * (a package, a document), only that subject's units are candidates, so its name (repeated in
 * code, badges and headings) tells no unit from another and proves nothing; its terms are
 * dropped from what units are scored and judged on, unless nothing else is left. ("What is the
 * default TTL in harbor-log?" is about a TTL, whichever harbor-log line names the package.)
 */
function withinSubject(question: AnalysedQuestion): AnalysedQuestion {
  const nameTerms = new Set(question.subjects.flatMap((subject) => subject.terms));
  if (nameTerms.size === 0) return question;
  const drop = (terms: WeightedTerms): WeightedTerms => new Map([...terms].filter(([term]) => !nameTerms.has(term)));
  const terms = drop(question.terms);
  if (terms.size === 0) return question;
  return {
    ...question,
    terms,
    judgedTerms: drop(question.judgedTerms),
    parts: question.parts.map((part) => ({ own: drop(part.own), terms: drop(part.terms) })),
    names: question.names.filter((name) => !nameTerms.has(name)),
    codeNames: question.codeNames.filter((name) => !nameTerms.has(name)),
  };
}

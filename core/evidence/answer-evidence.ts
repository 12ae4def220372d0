import { alignQuestion } from './align-question.js';
import { stemOf, type AnalysedQuestion } from '../question/analyse-question.js';
import { sentenceHasType } from '../question/answer-types.js';
import { weightedCoverage } from '../question/question-terms.js';
import type { ScoredUnit } from '../units/score-units.js';
import { contentTermSet, contentTerms, wordTokens } from '../text/tokenize.js';
import type { Passage } from '../contracts/types.js';

/**
 * The evidence features the answerability model reads, in a fixed order, each with the sign
 * its weight must have (1: more means likelier right, -1: less likely, 0: either). Training
 * keeps the signs, so the model cannot learn that better evidence means a worse answer from
 * features that move together.
 */
export const EVIDENCE_SIGNS = {
  question_length: 1,
  question_negated_prose: -1,
  question_negated_docs: 0,
  structured_document: 0,
  passage_coverage: 1,
  retrieved_coverage: 1,
  unit_coverage: 1,
  unit_context_coverage: 1,
  window_coverage: 1,
  unit_similarity: 1,
  unit_margin: 1,
  unit_passage_rank: -1,
  missing_idf_unit: -1,
  missing_idf_window: -1,
  missing_idf_retrieved: -1,
  names_missing: -1,
  numbers_missing: -1,
  negation_mismatch: -1,
  comparison_missing: -1,
  type_found: 1,
  unit_is_code: 0,
  unit_is_table_row: 0,
  unit_is_list_item: 0,
  substituted_idf: -1,
  reordered_pairs: -1,
  pair_coverage_prose: 1,
  pair_coverage_docs: 1,
} as const;

export const EVIDENCE_FEATURES = Object.keys(EVIDENCE_SIGNS) as (keyof typeof EVIDENCE_SIGNS)[];

export type EvidenceFeature = keyof typeof EVIDENCE_SIGNS;
export type EvidenceFeatures = Record<EvidenceFeature, number>;

/** What the answerer measured of a question against its best candidate answer. */
export interface Evidence {
  features: EvidenceFeatures;
  /** Question words (as written) found in the best unit or its neighbours, most specific first. */
  found: string[];
  /** Question words found in none of the retrieved passages, most specific first. */
  absent: string[];
  /** Question words found in the retrieved passages but not near the best unit. */
  elsewhere: string[];
}

export interface EvidenceInput {
  /** The question, analysed once; a candidate is judged against its `judgedTerms`. */
  question: AnalysedQuestion;
  /** A question term's weight (IDF, scaled down for ordinary words the sources never use), on the same 0..1 scale. */
  relativeWeight: (term: string) => number;
  passages: Passage[];
  /** Every unit of the passages, scored, best first. */
  units: ScoredUnit[];
  /** The units the answer would quote, best first. */
  chosen: ScoredUnit[];
}

const NEGATION = /\b(not|never|no|none|nothing|neither|nor|without|cannot|unable)\b|n['’]t\b/i;
/** Topic terms of a usual question; `question_length` counts the ones beyond. */
const USUAL_QUESTION_TERMS = 6;
/** How far (in characters) around the best unit its neighbours count as its window. */
const WINDOW_CHARS = 300;

/**
 * Measures how well the best candidate answers the question: coverage of the question's
 * terms (IDF-weighted) by the unit, its neighbours, its passage and all retrieved passages;
 * the most specific question term each of them lacks; names and numbers of the question
 * missing near the unit; negation and comparison the unit does not share; whether it holds
 * the kind of fact asked for; and the margin over the next candidate.
 */
export function measureEvidence(input: EvidenceInput): Evidence {
  const { question, relativeWeight, passages, units, chosen } = input;
  const terms = question.judgedTerms;
  const best = chosen[0] ?? units[0];
  const structured = best?.structured ? 1 : 0;
  const unitTerms = new Set(chosen.flatMap((unit) => [...unit.terms]));
  const contextTerms = new Set([...unitTerms, ...chosen.flatMap((unit) => contentTerms(unit.context))]);
  const windowUnits = best
    ? units.filter((unit) => unit.docId === best.docId && unit.start < best.end + WINDOW_CHARS && unit.end > best.start - WINDOW_CHARS)
    : [];
  const windowTerms = new Set([...contextTerms, ...windowUnits.flatMap((unit) => [...unit.terms])]);
  const windowText = windowUnits.map((unit) => unit.text).join(' ');
  const bestPassage = best?.passage;
  const passageTerms = bestPassage ? contentTermSet(bestPassage.text) : new Set<string>();
  const retrievedTerms = new Set(passages.flatMap((passage) => [...contentTermSet(passage.text)]));
  // A missing word counts by its weight in the question (core/question/question-terms.ts), not
  // its bare IDF: an ordinary word that frames the question ("the usual default") and no
  // passage uses must not veto an answer that holds what was asked.
  const missingIdf = (present: Set<string>) => Math.max(0, ...[...terms.keys()].filter((term) => !present.has(term)).map(relativeWeight));

  const { names, numbers, negated, comparison } = question;
  const second = units.find((unit) => !chosen.includes(unit));
  const shownText = chosen.map((unit) => unit.spans.map((span) => span.text).join(' ')).join(' ');
  const alignment = alignQuestion(question.tokens, best ? best.spans.map((span) => span.text).join(' ') : '');

  const features: EvidenceFeatures = {
    // Only length beyond a usual question counts: long, detailed questions written from a
    // document are rarely unanswerable, but a short question is no less answerable than another.
    question_length: Math.max(0, terms.size - USUAL_QUESTION_TERMS) / USUAL_QUESTION_TERMS,
    question_negated_prose: negated && !structured ? 1 : 0,
    question_negated_docs: negated && structured ? 1 : 0,
    structured_document: structured,
    passage_coverage: weightedCoverage(terms, passageTerms),
    retrieved_coverage: weightedCoverage(terms, retrievedTerms),
    unit_coverage: weightedCoverage(terms, unitTerms),
    unit_context_coverage: weightedCoverage(terms, contextTerms),
    window_coverage: weightedCoverage(terms, windowTerms),
    unit_similarity: best?.similarity ?? 0,
    unit_margin: best && second ? best.score - second.score : best ? best.score : 0,
    unit_passage_rank: best ? Math.log(1 + best.passageRank) : Math.log(1 + passages.length),
    missing_idf_unit: missingIdf(contextTerms),
    missing_idf_window: missingIdf(windowTerms),
    missing_idf_retrieved: missingIdf(retrievedTerms),
    names_missing: names.length ? names.filter((name) => !windowTerms.has(name)).length / names.length : 0,
    numbers_missing: numbers.length ? numbers.filter((number) => !windowText.includes(number)).length / numbers.length : 0,
    negation_mismatch: negated && !NEGATION.test(windowText) ? 1 : 0,
    comparison_missing: comparison && !wordTokens(windowText).includes(comparison) ? 1 : 0,
    type_found: question.answerType ? (best && sentenceHasType(shownText, question.answerType, question.tokenSet) ? 1 : -1) : 0,
    unit_is_code: best?.kind === 'code' ? 1 : 0,
    unit_is_table_row: best?.kind === 'table-row' ? 1 : 0,
    unit_is_list_item: best?.kind === 'list-item' ? 1 : 0,
    substituted_idf: Math.max(0, ...alignment.substituted.map((word) => relativeWeight(stemOf(word)))),
    reordered_pairs: alignment.reordered,
    // Prose questions copy the source's phrases; questions about docs name things in other orders.
    pair_coverage_prose: structured ? 0 : alignment.pairCoverage,
    pair_coverage_docs: structured ? alignment.pairCoverage : 0,
  };
  const bySpecificity = (words: string[]) => words.sort((a, b) => relativeWeight(stemOf(b)) - relativeWeight(stemOf(a)));
  const written = [...question.writtenWords];
  // A refusal names only the words that matter: those naming the question's subject; a word
  // that frames the question (a verb, an adjective) only when nothing else is missing.
  const mattering = (words: string[]) => {
    const subject = words.filter((word) => !question.framingTerms.has(stemOf(word)));
    return subject.length > 0 ? subject : words;
  };
  return {
    features,
    found: bySpecificity(written.filter((word) => windowTerms.has(stemOf(word)))),
    absent: bySpecificity(mattering(written.filter((word) => !retrievedTerms.has(stemOf(word))))),
    elsewhere: bySpecificity(mattering(written.filter((word) => retrievedTerms.has(stemOf(word)) && !windowTerms.has(stemOf(word))))),
  };
}

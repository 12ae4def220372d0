import type { AnswerType } from '../question/answer-types.js';
import type { Evidence } from './answer-evidence.js';

const TYPE_NAMES: Record<AnswerType, string> = {
  number: 'number',
  date: 'date or time',
  money: 'price or amount of money',
  person: 'name',
};

/**
 * Why the sources do not answer, in words a person understands: what the closest passages
 * are about, and what the question asks for that they lack. A question that names subjects of
 * the corpus (a package, a document) is answered about them: "The sources about “harbor-log”
 * never mention “TTL”."
 */
export function refusalReason(evidence: Evidence, answerType: AnswerType | null, subjects: string[] = []): string {
  const found = quoteList(evidence.found.slice(0, 3));
  const features = evidence.features;
  if (subjects.length > 0 && evidence.absent.length > 0) {
    return `The sources about ${quoteList(subjects)} never mention ${quoteList(evidence.absent.slice(0, 3))}.`;
  }
  if (evidence.absent.length > 0 && evidence.found.length === 0) {
    return `No passage in the sources mentions ${quoteList(evidence.absent.slice(0, 3))}.`;
  }
  if (evidence.absent.length > 0) {
    return `The passages about ${found} never mention ${quoteList(evidence.absent.slice(0, 3))}.`;
  }
  if (answerType && features.type_found < 0) {
    return `The passages about ${found || 'this topic'} give no ${TYPE_NAMES[answerType]} that answers the question.`;
  }
  if (evidence.elsewhere.length > 0 && evidence.found.length > 0) {
    return `The passages mention ${found}, but not together with ${quoteList(evidence.elsewhere.slice(0, 3))}.`;
  }
  if (features.negation_mismatch > 0) {
    return `The passages about ${found || 'this topic'} do not state the negative the question asks about.`;
  }
  return evidence.found.length > 0
    ? `The passages about ${found} do not clearly answer the question.`
    : 'The closest passages do not match the question well enough to answer it.';
}

/**
 * Why a question naming something the sources never mention is refused, whatever else they
 * hold: those names, then the question's other words no passage holds.
 */
export function unknownNamesReason(names: string[], evidence: Evidence | null): string {
  // A name's own parts ("261" of "3,792,261") are not named again.
  const named = new Set(names.flatMap((name) => [name.toLowerCase(), ...name.toLowerCase().split(/[^\p{L}\p{N}]+/u)]));
  const absent = [...names, ...(evidence?.absent ?? []).filter((word) => !named.has(word.toLowerCase()))];
  return `No passage in the sources mentions ${quoteList(absent.slice(0, 3))}.`;
}

function quoteList(words: string[]): string {
  const quoted = words.map((word) => `“${word}”`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

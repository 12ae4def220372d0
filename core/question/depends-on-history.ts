import { contentTerms, questionContentTerms, wordTokens } from '../text/tokenize.js';

/** Personal pronouns that point back to something said before. */
const BACK_REFERENCES = new Set([
  'it',
  'its',
  'they',
  'them',
  'their',
  'theirs',
  'he',
  'him',
  'his',
  'she',
  'her',
  'hers',
  'these',
  'those',
  'former',
  'latter',
]);
/** After "this" or "that", these words show it stands alone for something said before ("make that the default"). */
const AFTER_DEMONSTRATIVE = new Set([
  'the',
  'a',
  'an',
  'to',
  'in',
  'for',
  'on',
  'with',
  'instead',
  'be',
  'is',
  'work',
  'works',
  'happen',
  'mean',
  'again',
  'too',
  'also',
]);
/** Phrases that stand for something said before: "do the same thing", "do so". */
const BACK_PHRASE = /\b(the same|do so|did so|likewise)\b/i;
/** Openings that continue the conversation rather than start a new topic. */
const CONTINUATION = /^\s*(and|also|then|so|but|what about|how about|same for|what else|anything else|why not|how so)\b/i;

/** What the sources hold, as the follow-up check needs it. */
export interface TopicLookup {
  /** Whether the sources contain this stemmed term at all. */
  inSources(term: string): boolean;
  /** Whether the term is part of a document's name (a package, a product, a title). */
  namesDocument(term: string): boolean;
}

/**
 * Whether a question leans on the conversation before it: it opens as a continuation ("and…",
 * "what about…"), has no topic words at all, or points back (it, they, his, "that the
 * default", "the same"…) without naming a topic of its own that the sources hold: a name (capitalised, or
 * code like `maxAge`) or a word of a document's name. A self-contained question ("How many
 * headers does helmet set?") is answered as if asked alone, whatever came before.
 */
export function dependsOnHistory(question: string, lookup: TopicLookup): boolean {
  if (CONTINUATION.test(question)) return true;
  if (questionContentTerms(question).length === 0) return true;
  const words = wordTokens(question);
  const pointsBack =
    BACK_PHRASE.test(question) || words.some((word, i) => BACK_REFERENCES.has(word) || isDemonstrative(word, words[i + 1]));
  if (!pointsBack) return false;
  const named = names(question).filter((term) => lookup.inSources(term));
  const documentWords = questionContentTerms(question).filter((term) => lookup.namesDocument(term));
  return named.length === 0 && documentWords.length === 0;
}

/** "this"/"that" used as a pronoun (at the end, or before a function word), not before a noun. */
function isDemonstrative(word: string, next: string | undefined): boolean {
  return (word === 'this' || word === 'that') && (next === undefined || AFTER_DEMONSTRATIVE.has(next));
}

/** Stemmed terms of names in a question: capitalised words past the first, and code-like tokens. */
function names(question: string): string[] {
  const words = question.match(/[\p{L}\p{N}_$][\p{L}\p{N}_$.'’-]*/gu) ?? [];
  const capitalised = words.slice(1).filter((word) => /^\p{Lu}/u.test(word) && !/^I$/.test(word));
  const code = question.match(/`[^`]+`|[\w$]*[a-z][A-Z][\w$]*|[\w$]+\.[\w$]+|[\w$]+\(\)/g) ?? [];
  return [...new Set([...capitalised, ...code].flatMap((name) => contentTerms(name)))];
}

import { questionContentTerms, wordTokens } from './tokenize.js';

/** Words that point back to something said before. */
const BACK_REFERENCES = new Set(['it', 'its', 'they', 'them', 'their', 'theirs', 'he', 'him', 'his', 'she', 'her', 'hers', 'these', 'those', 'one', 'ones', 'other', 'others', 'former', 'latter']);
/** After "this" or "that", these words show it stands alone for something said before ("make that the default"). */
const AFTER_DEMONSTRATIVE = new Set(['the', 'a', 'an', 'to', 'in', 'for', 'on', 'with', 'instead', 'be', 'is', 'work', 'works', 'happen', 'mean', 'again', 'too', 'also', 'one']);

/** "this"/"that" used as a pronoun (at the end, or before a function word), not before a noun. */
function isDemonstrative(word: string, next: string | undefined): boolean {
  return (word === 'this' || word === 'that') && (next === undefined || AFTER_DEMONSTRATIVE.has(next));
}

/** Openings that continue the conversation rather than start a new topic. */
const CONTINUATION = /^\s*(and|also|then|so|but|what about|how about|and what about|same for|what else|anything else|why not|how so)\b/i;
/** A question term at least this rare (IDF relative to the index's largest) names a topic of its own. */
const TOPIC_RELATIVE_IDF = 0.45;

/**
 * Whether a question leans on the conversation before it: it opens as a continuation ("and…",
 * "what about…"), or it points back (it, they, his, those…) and names no topic of its own that
 * the sources hold (a term they contain, rare enough to be specific). A self-contained question
 * ("How many headers does helmet set?") is answered as if asked alone, whatever came before.
 *
 * `relativeIdf` is a term's IDF over the largest IDF of the index (0 for a term the index never
 * saw); `inSources` tells whether the index holds the term at all.
 */
export function dependsOnHistory(question: string, relativeIdf: (term: string) => number, inSources: (term: string) => boolean): boolean {
  if (CONTINUATION.test(question)) return true;
  const words = wordTokens(question);
  const terms = questionContentTerms(question).filter((term) => !BACK_REFERENCES.has(term));
  const hasOwnTopic = terms.some((term) => inSources(term) && relativeIdf(term) >= TOPIC_RELATIVE_IDF);
  if (terms.length === 0) return true;
  return words.some((word, i) => BACK_REFERENCES.has(word) || isDemonstrative(word, words[i + 1])) && !hasOwnTopic;
}

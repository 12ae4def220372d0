import type { TermStatistics } from './term-statistics.js';
import { questionContentWords } from '../text/tokenize.js';

/** The question's terms, each with its weight (IDF; history terms count less). */
export type WeightedTerms = Map<string, number>;

/** The part a word plays in a question: a name, a topic (a common noun), or a word that frames the question (a verb, adjective or adverb). */
export type WordRole = 'name' | 'topic' | 'framing';

/** How the words of a question weigh when the sources never use them. */
export interface UnseenWordWeights {
  /** How rare a word is in general English (0..1). */
  wordRarity: (word: string) => number;
  /** The role each word plays in a text, lower-cased words as keys (core/question has no tagger of its own: it is injected). */
  wordRoles?: (text: string) => ReadonlyMap<string, WordRole>;
}

/**
 * Stemmed content terms of a text, each weighted by its IDF in the store; `exclude` left out.
 * A word the sources never use has the highest IDF, whether it is "sit", "usual" or "metaphor".
 * With `unseen` weights, such a word is scaled by its rarity in general English, so a common word
 * that merely paraphrases the sources does not outweigh the question's topic; and a word that
 * frames the question rather than naming its subject (a verb, adjective or adverb: "how do I
 * *configure*", "the *usual* default") by the square of it, so it cannot veto an answer that
 * holds what was asked. Names (capitalised past the first word, or tagged as proper nouns) keep
 * their full weight: "Japan" or "kafkajs" missing from the sources matters however common the word.
 */
export function questionTerms(
  statistics: TermStatistics,
  text: string,
  exclude?: WeightedTerms,
  unseen?: UnseenWordWeights,
): WeightedTerms {
  const weights: WeightedTerms = new Map();
  const names = new Set((text.match(/(?<=\S\s+)\p{Lu}[\p{L}\p{N}'’-]*/gu) ?? []).map((name) => name.toLowerCase()));
  let roles: ReadonlyMap<string, WordRole> | undefined;
  for (const { word, term } of questionContentWords(text)) {
    if (exclude?.has(term) || weights.has(term)) continue;
    let share = 1;
    if (unseen && statistics.documentFrequency(term) === 0 && !names.has(word)) {
      // Tagged only when some word is unseen: most questions never need it.
      roles ??= unseen.wordRoles?.(text) ?? new Map();
      const role = roles.get(word) ?? 'topic';
      const rarity = unseen.wordRarity(word);
      share = role === 'name' ? 1 : role === 'framing' ? Math.max(MIN_FRAMING_SHARE, rarity ** 2) : Math.max(MIN_TOPIC_SHARE, rarity);
    }
    weights.set(term, statistics.idf(term) * share);
  }
  return weights;
}

/** An unseen topic word keeps at least this share of its IDF, however common it is in English. */
const MIN_TOPIC_SHARE = 0.1;
/** An unseen word that frames the question keeps at least this share. */
const MIN_FRAMING_SHARE = 0.05;

/** IDF-weighted share of `terms` found in `present`. */
export function weightedCoverage(terms: WeightedTerms, present: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const [term, weight] of terms) {
    total += weight;
    if (present.has(term)) found += weight;
  }
  return total > 0 ? found / total : 0;
}

import { stemmer } from 'stemmer';
import { boundedMemo } from './bounded-memo.js';
import { QUESTION_FRAME_WORDS, STOPWORDS } from './stopwords.js';

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased word tokens (letters and digits; possessive `'s` dropped). */
export function wordTokens(text: string): string[] {
  // One match() call, then fix-ups only where an apostrophe is: indexing calls this on every chunk.
  const tokens = text.toLowerCase().match(WORD) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.includes("'") || token.includes('’')) tokens[i] = token.replace(/['’]s$/, '').replace(/’/g, "'");
  }
  return tokens;
}

/** Whether a lower-cased token carries meaning for matching (not a stopword). */
export function isContentWord(token: string): boolean {
  return !STOPWORDS.has(token) && (token.length > 1 || /\d/.test(token));
}

/** Stem of a lower-cased token; numbers and short tokens are kept as they are. */
export function stemWord(token: string): string {
  if (token.length <= 3 || /\d/.test(token)) return token;
  return rememberedStem(token);
}

/** Answering stems the same passage words for every question: remembered, within a bound. */
const rememberedStem = boundedMemo(stemmer, 200_000);

/** Stemmed content terms of a text, in order, with repeats: the BM25 and overlap vocabulary. */
export function contentTerms(text: string): string[] {
  return wordTokens(text).filter(isContentWord).map(stemWord);
}

/**
 * The stemmed content terms of a text as a set, remembered across questions (passages and
 * their sentences come back again and again). Shared: read it, never change it.
 */
export const contentTermSet: (text: string) => ReadonlySet<string> = boundedMemo((text) => new Set(contentTerms(text)), 20_000);

/** Nouns that, after "which"/"what"/"how many", name the kind of answer rather than its topic. */
const ANSWER_KIND_NOUNS = new Set([
  'day',
  'days',
  'date',
  'dates',
  'time',
  'times',
  'year',
  'years',
  'month',
  'months',
  'number',
  'amount',
  'percentage',
  'name',
  'names',
]);

/**
 * Stemmed content terms of a question, without words that only frame it ("according to the
 * document") or name the kind of answer ("on which day", "in what year").
 */
export function questionContentTerms(question: string): string[] {
  return questionContentWords(question).map(({ term }) => term);
}

/** The question's content words as written (lower-cased), each with its stemmed term. */
export function questionContentWords(question: string): { word: string; term: string }[] {
  const tokens = wordTokens(question);
  return tokens
    .filter((token, i) => {
      if (!isContentWord(token) || QUESTION_FRAME_WORDS.has(token)) return false;
      const previous = tokens[i - 1];
      // "how many", "how much", "how long": the question word asks for a quantity, it is no topic.
      if ((token === 'many' || token === 'much' || token === 'long' || token === 'often') && previous === 'how') return false;
      return !(ANSWER_KIND_NOUNS.has(token) && (previous === 'which' || previous === 'what' || previous === 'many'));
    })
    .map((word) => ({ word, term: stemWord(word) }));
}

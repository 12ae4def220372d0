import { stemmer } from 'stemmer';
import { QUESTION_FRAME_WORDS, STOPWORDS } from './stopwords.js';

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased word tokens (letters and digits; possessive `'s` dropped). */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    tokens.push(match[0].replace(/['’]s$/, '').replace(/’/g, "'"));
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
  return stemmer(token);
}

/** Stemmed content terms of a text, in order, with repeats: the BM25 and overlap vocabulary. */
export function contentTerms(text: string): string[] {
  return wordTokens(text).filter(isContentWord).map(stemWord);
}

/** Stemmed content terms of a question, without words that only frame it ("according to the document"). */
export function questionContentTerms(question: string): string[] {
  return wordTokens(question)
    .filter((token) => isContentWord(token) && !QUESTION_FRAME_WORDS.has(token))
    .map(stemWord);
}

import { isContentWord, stemWord, wordTokens } from '../text/tokenize.js';

/** How a question lines up with a candidate sentence, word by word. */
export interface Alignment {
  /** Question content words replaced by other words in a stretch the sentence otherwise copies. */
  substituted: string[];
  /** Pairs of adjacent question content words that the sentence has, but not side by side in that order. */
  reordered: number;
  /** Share of the question's adjacent content-word pairs the sentence has side by side. */
  pairCoverage: number;
}

/** How far (in words) a replaced word may sit from the matched words around it. */
const SANDWICH = 2;
/** How many words the sentence may have where the question has the replaced word. */
const MAX_REPLACEMENT = 3;

/**
 * Aligns the question's words with the sentence's (longest common subsequence of stems) and
 * reports what a copied-then-edited question leaves behind: a word swapped inside a stretch
 * that matches on both sides ("a scientific abstraction" against "a mathematical
 * abstraction"), and names or phrases whose words appear in another order ("Major Soccer
 * League" against "Major League Soccer").
 */
export function alignQuestion(questionWords: readonly string[], sentence: string): Alignment {
  const q = questionWords.map(stemWord);
  const s = wordTokens(sentence).map(stemWord);
  const matchOf = longestCommonSubsequence(q, s);
  const substituted: string[] = [];
  for (let i = 0; i < q.length; i++) {
    if (matchOf[i] >= 0 || !isContentWord(questionWords[i])) continue;
    let before = i - 1;
    while (before >= 0 && matchOf[before] < 0) before--;
    let after = i + 1;
    while (after < q.length && matchOf[after] < 0) after++;
    if (before < 0 || after >= q.length || i - before > SANDWICH || after - i > SANDWICH) continue;
    const gap = matchOf[after] - matchOf[before] - 1;
    if (gap >= 1 && gap <= MAX_REPLACEMENT) substituted.push(questionWords[i]);
  }
  const content = q.filter((_, i) => isContentWord(questionWords[i]));
  const sentencePairs = new Set(s.slice(1).map((word, i) => `${s[i]} ${word}`));
  const sentenceWords = new Set(s);
  let pairs = 0;
  let together = 0;
  let reordered = 0;
  for (let i = 1; i < content.length; i++) {
    pairs++;
    if (sentencePairs.has(`${content[i - 1]} ${content[i]}`)) together++;
    else if (sentencePairs.has(`${content[i]} ${content[i - 1]}`) && sentenceWords.has(content[i])) reordered++;
  }
  return { substituted, reordered, pairCoverage: pairs ? together / pairs : 0 };
}

/** For each item of `a`, the index of its partner in `b` in a longest common subsequence, or -1. */
function longestCommonSubsequence(a: string[], b: string[]): number[] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const partner = new Array<number>(a.length).fill(-1);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      partner[i] = j;
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return partner;
}

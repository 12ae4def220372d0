import { splitSentences } from '../core/text/split-sentences.js';
import { wordTokens, isContentWord } from '../core/text/tokenize.js';

/** mulberry32: a small seeded generator, so every run generates the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates `count` passages of about `length` characters, deterministically from `seed`.
 * Method: sentences of the seed text, each with about a third of its content words replaced
 * by words drawn from `vocabulary` (a Zipf-like draw favouring its first words), plus one token
 * unique to the passage. The result keeps real sentence shapes and lengths while its vocabulary
 * grows with size the way a real corpus's does, so BM25 posting lists and HNSW graphs grow too.
 */
export function generatePassages(seedText: string, vocabulary: string[], count: number, length: number, seed = 42): string[] {
  const random = seededRandom(seed);
  const sentences = splitSentences(seedText)
    .map((s) => s.text)
    .filter((s) => s.length > 40);
  const pick = () => vocabulary[Math.floor(vocabulary.length * random() ** 2)];
  const passages: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = `Record ${i.toString(36)}.`;
    while (text.length < length) {
      const sentence = sentences[Math.floor(random() * sentences.length)];
      const rewritten = sentence.replace(/[\p{L}][\p{L}'’-]*/gu, (word) =>
        isContentWord(word.toLowerCase()) && random() < 0.35 ? pick() : word,
      );
      text += ` ${rewritten}`;
    }
    passages.push(text);
  }
  return passages;
}

/** Content words of a text, in order, for building query strings from a passage. */
export function queryFrom(passage: string, random: () => number, words = 6): string {
  const content = wordTokens(passage).filter(isContentWord);
  const start = Math.floor(random() * Math.max(1, content.length - words));
  return content.slice(start, start + words).join(' ');
}

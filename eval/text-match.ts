/** Lower case, NFC, curly quotes and dashes made plain, whitespace collapsed. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‛′]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Word tokens of normalised text. */
export function matchWords(text: string): string[] {
  return normalizeForMatch(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Word bigrams (a single word when the text has one), the unit of "falls inside". */
function wordPairs(words: string[]): string[] {
  if (words.length < 2) return words;
  return words.slice(1).map((word, i) => `${words[i]} ${word}`);
}

/**
 * Share of `inner`'s words that fall inside `outer`: a word falls inside when it occurs
 * there next to the same neighbour (compared as word pairs), so two passages on the same
 * topic do not match on shared vocabulary alone.
 */
export function shareInside(inner: string, outer: string): number {
  const innerPairs = wordPairs(matchWords(inner));
  if (innerPairs.length === 0) return 0;
  const outerPairs = new Set(wordPairs(matchWords(outer)));
  return innerPairs.filter((pair) => outerPairs.has(pair)).length / innerPairs.length;
}

/**
 * Whether a retrieved passage hits a gold context: it contains the context, or at least
 * half of the context's words fall inside it, or at least half of its own words fall inside
 * the context (it was cut from it).
 */
export function passageHitsContext(passage: string, context: string): boolean {
  const normalizedPassage = normalizeForMatch(passage);
  const normalizedContext = normalizeForMatch(context);
  if (normalizedContext.length === 0) return false;
  if (normalizedPassage.includes(normalizedContext)) return true;
  return shareInside(context, passage) >= 0.5 || shareInside(passage, context) >= 0.5;
}

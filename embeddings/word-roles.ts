import { createRequire } from 'node:module';
import type WinkTagger from 'wink-pos-tagger';
import type { WordRole } from '../core/question/question-terms.js';

/**
 * Tags a question's words with the part they play, with wink-pos-tagger (the wink family the
 * word vectors come from): proper nouns are names, common nouns name a topic, and verbs,
 * adjectives and adverbs frame the question ("how do I *configure* …", "the *usual*
 * default"). Loaded once per process (about 1 s and 65 MB), only by an engine that weighs
 * unseen words by their rarity (the local embedder).
 */
export function loadWordRoles(): (question: string) => ReadonlyMap<string, WordRole> {
  // Loaded where it is needed, synchronously like the word vectors: the tagger is a CommonJS module.
  const Tagger = createRequire(import.meta.url)('wink-pos-tagger') as typeof WinkTagger;
  const tagger = new Tagger();
  return (question) => {
    const roles = new Map<string, WordRole>();
    for (const token of tagger.tagSentence(question)) {
      if (token.tag !== 'word') continue;
      const word = token.value.toLowerCase();
      if (!roles.has(word)) roles.set(word, roleOf(token.pos));
    }
    return roles;
  };
}

/** A Penn Treebank tag as a role. */
function roleOf(pos: string): WordRole {
  if (pos.startsWith('NNP')) return 'name';
  if (pos.startsWith('VB') || pos.startsWith('JJ') || pos.startsWith('RB')) return 'framing';
  return 'topic';
}

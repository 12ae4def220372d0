import { ensureWordVectorCache } from '../embeddings/word-vectors.js';
import { TEST_WORD_VECTORS } from './paths.js';

/** Builds the word-vector cache once before any test file needs it. */
export default function setup(): void {
  ensureWordVectorCache(TEST_WORD_VECTORS);
}

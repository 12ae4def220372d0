import { contentTerms } from '../core/tokenize.js';
import type { Chunk } from '../core/types.js';
import { createYielder } from './yield-to-event-loop.js';

/**
 * In how many chunks each analysed term occurs, counted in slices that yield to the event loop:
 * on a 21,000-chunk index the count takes seconds, and a server loading a new index must keep
 * answering meanwhile.
 */
export async function countTermFrequencies(chunks: Chunk[]): Promise<Map<string, number>> {
  const frequencies = new Map<string, number>();
  const pause = createYielder();
  for (const chunk of chunks) {
    for (const term of new Set(contentTerms(chunk.text))) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    await pause();
  }
  return frequencies;
}

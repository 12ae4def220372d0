import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A pause point for long synchronous work: the returned function yields to the event loop when
 * more than `sliceMs` has passed since the last yield. Loading a large index runs in such slices,
 * so requests keep being answered while it loads (the structures it builds cannot cross to a
 * worker thread: the hnswlib graph lives in this isolate).
 */
export function createYielder(sliceMs = 8): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < sliceMs) return;
    await nextTurn();
    last = performance.now();
  };
}

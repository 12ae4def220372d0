import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A matcher of presented keys against `keys`: the matched key's id (`key-1` for the first), or
 * null. Keys are compared as SHA-256 digests with timingSafeEqual, every key every time, so
 * neither a key's content nor its length nor its position leaks through timing. The id, not the
 * key, is what rate limits and logs see.
 */
export function matchApiKey(keys: string[]): (presented: string) => string | null {
  const digests = keys.map(digest);
  return (presented) => {
    const candidate = digest(presented);
    let matched: string | null = null;
    digests.forEach((known, i) => {
      if (timingSafeEqual(known, candidate) && matched === null) matched = `key-${i + 1}`;
    });
    return matched;
  };
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

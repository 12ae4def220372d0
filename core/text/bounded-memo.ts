/**
 * Memoises a function of a string in a map that is emptied when it reaches `limit` entries:
 * answers score the same passage texts again and again, and the bound keeps memory flat.
 */
export function boundedMemo<T>(compute: (key: string) => T, limit: number): (key: string) => T {
  const remembered = new Map<string, T>();
  return (key) => {
    let value = remembered.get(key);
    if (value === undefined) {
      if (remembered.size >= limit) remembered.clear();
      value = compute(key);
      remembered.set(key, value);
    }
    return value;
  };
}

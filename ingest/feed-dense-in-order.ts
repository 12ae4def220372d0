import type { DenseIndexFileBuilder } from '../store/build-dense-index-file.js';

/**
 * Feeds the HNSW graph in chunk order as embeddings arrive. `reused` holds, per chunk position,
 * the vector kept from the previous index, or null for a chunk being embedded (those arrive in
 * position order, through the returned function). A kept vector is added once every position
 * before it has been: hnswlib's graph depends on the order vectors are added in, and in order it
 * is the graph a fresh build makes, so an incremental ingest ranks as a full one would.
 */
export function feedDenseInOrder(
  reused: readonly (Float32Array | null)[],
  dense: DenseIndexFileBuilder,
  dimensions: number,
): (embedded: Float32Array[]) => void {
  const fresh: Float32Array[] = [];
  let fed = 0;
  let freshFed = 0;
  const flush = () => {
    const first = fed;
    const rows: Float32Array[] = [];
    while (fed < reused.length) {
      let row = reused[fed];
      if (row === null) {
        if (freshFed === fresh.length) break;
        row = fresh[freshFed++];
      }
      rows.push(row);
      fed++;
    }
    if (rows.length === 0) return;
    const joined = new Float32Array(rows.length * dimensions);
    rows.forEach((vector, i) => joined.set(vector, i * dimensions));
    dense.add(
      Uint32Array.from({ length: rows.length }, (_, n) => first + n),
      joined,
    );
  };
  flush();
  return (embedded) => {
    fresh.push(...embedded);
    flush();
  };
}

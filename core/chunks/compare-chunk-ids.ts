/**
 * Orders chunk ids (`docId#n`) as the corpus holds them: by document id, then by position in
 * the document. Retrieval breaks score ties with it, so every store ranks ties alike.
 */
export function compareChunkIds(a: string, b: string): number {
  const [docA, ordinalA] = splitChunkId(a);
  const [docB, ordinalB] = splitChunkId(b);
  if (docA !== docB) return docA < docB ? -1 : 1;
  return ordinalA - ordinalB;
}

function splitChunkId(chunkId: string): [string, number] {
  const hash = chunkId.lastIndexOf('#');
  const ordinal = Number(chunkId.slice(hash + 1));
  return hash < 0 || !Number.isInteger(ordinal) ? [chunkId, 0] : [chunkId.slice(0, hash), ordinal];
}

import type { Citation, StoredDocument } from './types.js';

/**
 * Checks each citation against the stored text: kept, marked verified, only when its quote is
 * exactly `text.slice(start, end)` of its document. Returns the kept ones and how many were not.
 */
export function verifyCitations(
  citations: Citation[],
  documents: ReadonlyMap<string, StoredDocument>,
): { verified: Citation[]; rejected: number } {
  const verified: Citation[] = [];
  for (const citation of citations) {
    const text = documents.get(citation.docId)?.text;
    const exact =
      text !== undefined &&
      Number.isInteger(citation.start) &&
      Number.isInteger(citation.end) &&
      citation.start >= 0 &&
      citation.end > citation.start &&
      citation.end <= text.length &&
      text.slice(citation.start, citation.end) === citation.quote;
    if (exact) verified.push({ ...citation, verified: true });
  }
  return { verified, rejected: citations.length - verified.length };
}

import { placeInDocument } from './place-in-document.js';
import { textFragmentLink } from './text-fragment-link.js';
import type { Citation, CitationDraft, StoredDocument } from './types.js';

/**
 * The citation marked verified when its quote is exactly `text.slice(start, end)` of its stored
 * document; null when it is not (wrong text, offsets outside the text, unknown document). The
 * stored document also places it: its path, and the page and headings where the quote starts;
 * a crawled page's citation links to the quote on the live page.
 */
export function verifyCitation(citation: CitationDraft, document: StoredDocument | undefined): Citation | null {
  const text = document?.docId === citation.docId ? document.text : undefined;
  const exact =
    text !== undefined &&
    Number.isInteger(citation.start) &&
    Number.isInteger(citation.end) &&
    citation.start >= 0 &&
    citation.end > citation.start &&
    citation.end <= text.length &&
    text.slice(citation.start, citation.end) === citation.quote;
  if (!exact || !document) return null;
  const link = document.url === null ? null : textFragmentLink(document.url, document.text, citation.start, citation.end);
  return { ...citation, ...placeInDocument(document, citation.start), link, verified: true };
}

/** Checks each citation against the stored text; returns the verified ones and how many were not. */
export function verifyCitations(
  citations: CitationDraft[],
  documents: ReadonlyMap<string, StoredDocument>,
): { verified: Citation[]; rejected: number } {
  const verified = citations.map((citation) => verifyCitation(citation, documents.get(citation.docId))).filter((c) => c !== null);
  return { verified, rejected: citations.length - verified.length };
}

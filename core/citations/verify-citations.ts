import type { BlockText, PassageStore, StoredChunk } from '../contracts/passage-store.js';
import { placeInDocument } from '../chunks/place-in-document.js';
import type { Citation, CitationDraft } from '../contracts/types.js';
import { textFragmentLink } from './text-fragment-link.js';

/**
 * Characters before a crawled page's quote read to build its link: enough to tell whether the
 * quote's first words occur earlier on the page (and to take the words before it as a prefix),
 * without reading a long page whole for every citation.
 */
const LINK_CONTEXT_CHARS = 20_000;

/** Checks one citation against the stored text: the verified citation, or null when its quote is not exactly there. */
export type CitationVerifier = (citation: CitationDraft) => Promise<Citation | null>;

/**
 * A verifier for the citations of one answer: a citation is marked verified only when its quote
 * is exactly `text.slice(start, end)` of its stored document, read from the store for that span
 * alone. It is placed (path, page, headings where its quote starts) by the blocks of the
 * retrieved chunks it was cut from; a crawled page's citation links to the quote on the live page.
 */
export function citationVerifier(store: Pick<PassageStore, 'getText'>, chunks: readonly StoredChunk[]): CitationVerifier {
  const byDocument = new Map<string, { chunk: StoredChunk; blocks: BlockText[] }>();
  for (const chunk of chunks) {
    const entry = byDocument.get(chunk.docId) ?? { chunk, blocks: [] };
    entry.blocks.push(...chunk.framing, ...chunk.blocks);
    byDocument.set(chunk.docId, entry);
  }
  const placed = new Map<string, { path: string; url: string | null; blocks: BlockText[] }>();
  for (const [docId, { chunk, blocks }] of byDocument) {
    const unique = [...new Map(blocks.map((block) => [block.start, block])).values()].sort((a, b) => a.start - b.start);
    placed.set(docId, { path: chunk.path, url: chunk.url, blocks: unique });
  }
  return async (citation) => {
    const known = placed.get(citation.docId);
    if (!known || !Number.isInteger(citation.start) || !Number.isInteger(citation.end) || citation.end <= citation.start) return null;
    const stored = await store.getText(citation.docId, citation.start, citation.end);
    if (stored !== citation.quote) return null;
    let link: string | null = null;
    if (known.url !== null) {
      const before = await store.getText(citation.docId, Math.max(0, citation.start - LINK_CONTEXT_CHARS), citation.start);
      link = textFragmentLink(known.url, citation.quote, before ?? '');
    }
    return { ...citation, ...placeInDocument(known, citation.start), link, verified: true };
  };
}

/** Checks each citation; returns the verified ones, in order, and how many were not. */
export async function verifyCitations(
  citations: CitationDraft[],
  verify: CitationVerifier,
): Promise<{ verified: Citation[]; rejected: number }> {
  const checked = await Promise.all(citations.map(verify));
  const verified = checked.filter((citation): citation is Citation => citation !== null);
  return { verified, rejected: citations.length - verified.length };
}

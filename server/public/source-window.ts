// Which part of a document the source panel shows, and how that part grows. The page fetches a
// window around the cited span, not the whole document, then the text before or after it as the
// reader scrolls there. Parts are cut where a block starts (outside lists and tables), so a part
// renders as it does in the whole document and parts join without a seam.
import { fetchSource, type SourceRange } from './api-client.js';
import type { DocumentKind } from '../../core/contracts/types.js';

/** The part of a document the panel shows: `text` is the stored text from `start` to `end`. */
export interface LoadedPart {
  docId: string;
  path: string;
  kind: DocumentKind;
  characters: number;
  start: number;
  end: number;
  text: string;
}

/** Characters fetched around a cited span, and added at each edge the reader scrolls to (the server caps a response at SOURCE_MAX_CHARS). */
export const WINDOW_CHARS = 16_000;

/**
 * The part of document `docId` around `span` ({start, end}): `{docId, path, kind, characters,
 * start, end, text}` with `text` the stored text from `start` to `end`. `characters`, when known,
 * keeps a span of an older index (a kept conversation) inside the document.
 */
export async function loadAround(docId: string, span: { start: number; end: number }, characters?: number): Promise<LoadedPart> {
  const middle = Math.floor((span.start + span.end) / 2);
  const around = characters === undefined ? middle : Math.min(middle, characters);
  const range = await fetchSource(docId, { around, chars: span.end - span.start + WINDOW_CHARS });
  const start = range.start === 0 ? 0 : (firstCut(range, range.start, Math.min(span.start, range.end)) ?? range.start);
  const end = range.end === range.characters ? range.end : (lastCut(range, Math.max(span.end, start + 1), range.end) ?? range.end);
  return part(range, start, end);
}

/** `loaded` with the text before it added (up to WINDOW_CHARS more), or null at the document's start. */
export async function loadBefore(loaded: LoadedPart): Promise<LoadedPart | null> {
  if (loaded.start === 0) return null;
  const range = await fetchEndingAt(loaded.docId, loaded.start);
  const start = range.start === 0 ? 0 : (firstCut(range, range.start, loaded.start - 1) ?? range.start);
  return { ...loaded, start, text: range.text.slice(start - range.start) + loaded.text };
}

/** `loaded` with the text after it added (up to WINDOW_CHARS more), or null at the document's end. */
export async function loadAfter(loaded: LoadedPart): Promise<LoadedPart | null> {
  if (loaded.end === loaded.characters) return null;
  const range = await fetchSource(loaded.docId, { start: loaded.end, end: loaded.end + WINDOW_CHARS });
  const end = range.end === range.characters ? range.end : (lastCut(range, loaded.end + 1, range.end) ?? range.end);
  return { ...loaded, end, text: loaded.text + range.text.slice(0, end - range.start) };
}

/** Up to WINDOW_CHARS characters ending at `end`; when the server's cap is lower, as many as it gives. */
async function fetchEndingAt(docId: string, end: number): Promise<SourceRange> {
  const range = await fetchSource(docId, { start: Math.max(0, end - WINDOW_CHARS), end });
  if (range.end >= end) return range;
  return fetchSource(docId, { start: end - (range.end - range.start), end });
}

function part(range: SourceRange, start: number, end: number): LoadedPart {
  const { docId, path, kind, characters } = range;
  return { docId, path, kind, characters, start, end, text: range.text.slice(start - range.start, end - range.start) };
}

/** Offsets a part may start at: starts of blocks that are not a nested list item or a table row (a row needs its header). */
function cuts(range: SourceRange): number[] {
  return (range.blocks ?? [])
    .filter((block) => block.kind !== 'table-row' && !(block.kind === 'list-item' && (block.depth ?? 1) > 1))
    .map((block) => block.start)
    .sort((a, b) => a - b);
}

/** The first cut in [from, to], or undefined. */
function firstCut(range: SourceRange, from: number, to: number): number | undefined {
  return cuts(range).find((at) => at >= from && at <= to);
}

/** The last cut in [from, to], or undefined. */
function lastCut(range: SourceRange, from: number, to: number): number | undefined {
  return cuts(range)
    .filter((at) => at >= from && at <= to)
    .at(-1);
}

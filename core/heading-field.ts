import { blocksInRange } from './place-in-document.js';
import type { Chunk, StoredDocument } from './types.js';

/** How much a query term found in a chunk's heading field counts against one found in its text (BM25 field boost). */
export const HEADING_FIELD_BOOST = Number(process.env.X_BOOST ?? 2);

const MODE = process.env.X_MODE ?? 'path+headings';

/**
 * The text of a chunk's heading field, which lexical search matches besides its text: the
 * document's path, then the headings over every block the chunk overlaps, each once. A
 * chunk deep in a section ("port" under "express/README.md › Options") is found by the
 * words of its breadcrumb, which its own text seldom repeats.
 */
export function headingFieldText(document: Pick<StoredDocument, 'path' | 'title' | 'blocks'>, chunk: Pick<Chunk, 'start' | 'end'>): string {
  const headings = new Set<string>();
  for (const block of blocksInRange(document.blocks, chunk.start, chunk.end)) for (const heading of block.headingPath) headings.add(heading);
  const parts: string[] = [];
  if (MODE.includes('path')) parts.push(document.path.replace(/\.[^./]*$/, ''));
  if (MODE.includes('title')) parts.push(document.title);
  if (MODE.includes('headings')) parts.push(...headings);
  return parts.join('\n');
}

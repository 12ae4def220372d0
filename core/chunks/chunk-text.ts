import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Chunk } from '../contracts/types.js';

export interface ChunkingOptions {
  chunkSize: number;
  chunkOverlap: number;
}

/**
 * Splits a stored document into chunks with exact character offsets.
 * LangChain's recursive splitter picks the boundaries; since it returns strings only,
 * each chunk is located in the text after the previous chunk's start, which holds because
 * the splitter's chunks are trimmed, contiguous and in order.
 */
export async function chunkText(docId: string, text: string, options: ChunkingOptions): Promise<Chunk[]> {
  const splitter = new RecursiveCharacterTextSplitter({
    chunkSize: options.chunkSize,
    chunkOverlap: options.chunkOverlap,
  });
  const pieces = await splitter.splitText(text);
  const chunks: Chunk[] = [];
  let searchFrom = 0;
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const start = text.indexOf(piece, searchFrom);
    if (start < 0) {
      throw new Error(`chunkText: could not locate chunk ${chunks.length} of ${docId} in its text`);
    }
    const end = start + piece.length;
    chunks.push({ chunkId: `${docId}#${chunks.length}`, docId, start, end, text: piece });
    searchFrom = start + 1;
  }
  return chunks;
}

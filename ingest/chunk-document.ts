import { chunkText, type ChunkingOptions } from '../core/chunks/chunk-text.js';
import type { Chunk, StoredDocument } from '../core/contracts/types.js';
import { chunkBlocks } from './chunk-blocks.js';

/** Chunks a document by its structure; plain text keeps LangChain's recursive splitter, as before blocks. */
export async function chunkDocument(
  document: Pick<StoredDocument, 'docId' | 'text' | 'kind' | 'blocks'>,
  options: ChunkingOptions,
): Promise<Chunk[]> {
  return document.kind === 'text'
    ? chunkText(document.docId, document.text, options)
    : chunkBlocks(document.docId, document.text, document.blocks, options);
}

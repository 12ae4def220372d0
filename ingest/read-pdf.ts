import { extractText, getDocumentProxy } from 'unpdf';
import { normalizeText } from '../core/text/normalize-text.js';
import type { Block } from '../core/contracts/types.js';
import { paragraphBlocks } from './paragraph-blocks.js';

/** A PDF's text (its pages' text, a blank line between pages), paragraph blocks that know their page, and its metadata title. */
export interface ReadPdf {
  text: string;
  blocks: Block[];
  pages: number;
  titles: string[];
}

/** Reads a PDF with unpdf, page by page, so every block keeps the number of the page it is on. */
export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  const { text: pageTexts, totalPages } = await extractText(pdf, { mergePages: false });
  const metadata = await pdf.getMetadata().catch(() => undefined);
  const title = (metadata?.info as { Title?: unknown } | undefined)?.Title;
  let text = '';
  const blocks: Block[] = [];
  pageTexts.forEach((raw, i) => {
    const page = normalizeText(raw);
    if (!page) return;
    if (text) text += '\n\n';
    blocks.push(...paragraphBlocks(page, text.length, i + 1));
    text += page;
  });
  return { text, blocks, pages: totalPages, titles: typeof title === 'string' ? [title] : [] };
}

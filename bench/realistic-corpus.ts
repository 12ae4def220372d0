import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isContentWord } from '../core/text/tokenize.js';
import type { Block, StoredDocument } from '../core/contracts/types.js';
import { readDocument } from '../ingest/read-document.js';
import { seededRandom } from './generate-corpus.js';

/** A document of a bench corpus, read as an ingest reads it (text, kind, blocks), less its hash. */
export type BenchDocument = Omit<StoredDocument, 'hash'>;

/** Every file under the open external sets' docs/ folders, read by the ingest's readers (the base of the realistic corpus). */
export async function readExternalDocuments(externalDir: string): Promise<BenchDocument[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  for (const set of readdirSync(externalDir).sort()) {
    const docs = join(externalDir, set, 'docs');
    try {
      if (statSync(docs).isDirectory()) walk(docs);
    } catch {
      // a set without documents
    }
  }
  const documents: BenchDocument[] = [];
  for (const file of files) {
    const path = relative(externalDir, file);
    const read = await readDocument(path, readFileSync(file));
    if ('skip' in read) continue;
    const title = read.titles.declared[0] ?? read.titles.guessed ?? path;
    documents.push({ docId: path, path, url: null, title, text: read.text, kind: read.kind, pages: read.pages, blocks: read.blocks });
  }
  return documents;
}

/**
 * Copy `copy` of a real document: in every block but headings, about 15% of the content words
 * replaced by words drawn (Zipf-like) from `vocabulary`, and a token naming the copy at the start
 * of each paragraph; headings and the text between blocks stay, and the blocks are moved to where
 * their text now is. Copies keep the originals' structure, lengths and most of their terms, so
 * posting lists grow as a larger collection of similar documents (release notes, wikis, manuals)
 * would, not as random filler.
 */
export function varyDocument(document: BenchDocument, copy: number, vocabulary: string[]): BenchDocument {
  if (copy === 0) return document;
  const random = seededRandom(copy * 7919 + document.docId.length);
  const pick = () => vocabulary[Math.floor(vocabulary.length * random() ** 2)];
  const marker = `copy${copy.toString(36)}`;
  const vary = (text: string) =>
    text.replace(/[\p{L}][\p{L}'’-]*/gu, (word) => (isContentWord(word.toLowerCase()) && random() < 0.15 ? pick() : word));
  const parts: string[] = [];
  const blocks: Block[] = [];
  let length = 0;
  let from = 0;
  const append = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  for (const block of document.blocks) {
    append(document.text.slice(from, block.start));
    const original = document.text.slice(block.start, block.end);
    const varied = block.kind === 'heading' ? original : `${block.kind === 'paragraph' ? `${marker} ` : ''}${vary(original)}`;
    blocks.push({ ...block, start: length, end: length + varied.length });
    append(varied);
    from = block.end;
  }
  append(document.text.slice(from));
  const path = `copy-${copy}/${document.path}`;
  return { ...document, docId: path, path, title: `${document.title} (${marker})`, text: parts.join(''), blocks };
}

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { normalizeText } from '../core/normalize-text.js';
import { isContentWord } from '../core/tokenize.js';
import { seededRandom } from './generate-corpus.js';

/** A document of the realistic corpus. */
export interface BenchDocument {
  docId: string;
  title: string;
  text: string;
}

/** Every file under the open external sets' docs/ folders, as documents (the base of the realistic corpus). */
export function readExternalDocuments(externalDir: string): BenchDocument[] {
  const documents: BenchDocument[] = [];
  const walk = (dir: string, root: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path, root);
      else documents.push({ docId: relative(externalDir, path), title: entry, text: normalizeText(readFileSync(path, 'utf8')) });
    }
  };
  for (const set of readdirSync(externalDir).sort()) {
    const docs = join(externalDir, set, 'docs');
    try {
      if (statSync(docs).isDirectory()) walk(docs, docs);
    } catch {
      // a set without documents
    }
  }
  return documents;
}

/**
 * Copy `copy` of a real document: about 15% of its content words replaced by words drawn
 * (Zipf-like) from `vocabulary`, and a token naming the copy at each paragraph. Copies keep the
 * originals' structure, lengths and most of their terms, so posting lists grow as a larger
 * collection of similar documents (release notes, wikis, manuals) would, not as random filler.
 */
export function varyDocument(document: BenchDocument, copy: number, vocabulary: string[]): BenchDocument {
  if (copy === 0) return document;
  const random = seededRandom(copy * 7919 + document.docId.length);
  const pick = () => vocabulary[Math.floor(vocabulary.length * random() ** 2)];
  const marker = `copy${copy.toString(36)}`;
  const text = document.text
    .replace(/[\p{L}][\p{L}'’-]*/gu, (word) => (isContentWord(word.toLowerCase()) && random() < 0.15 ? pick() : word))
    .replace(/\n\n/g, `\n\n${marker} `);
  return { docId: `copy-${copy}/${document.docId}`, title: `${document.title} (${marker})`, text };
}

import type { DocumentSummary } from '../contracts/passage-store.js';
import { contentTerms } from '../text/tokenize.js';

/** Something the corpus is about that a question can name: a package, a product, a document. */
export interface Subject {
  /** As a reader names it: the folder, the title or the file name. */
  name: string;
  /** Its name's stemmed terms, in order. */
  terms: string[];
  /** The documents about it. */
  docIds: ReadonlySet<string>;
}

/** The subjects of a corpus, found from its documents' folders, titles and file names. */
export interface CorpusSubjects {
  subjects: Subject[];
  /** Every term of every subject's name. */
  nameTerms: ReadonlySet<string>;
}

/**
 * File and title words that say what kind of document it is, not what it is about: a README
 * is about its folder's package, not about "readmes".
 */
const GENERIC_NAMES = new Set(
  contentTerms(
    `readme index docs doc documentation api guide guides overview introduction intro changelog changes history license licence
    contributing contributors faq tutorial reference manual notes todo main home getting started examples example usage
    security code conduct authors readme.md`,
  ),
);

/** A name of more words than this is a sentence-like title, not a subject a question names. */
const MAX_NAME_TERMS = 4;

/**
 * The subjects of a corpus: each nested document's top folder (`express/README.md` is about
 * express), and each top-level document's title and file name unless generic (README, index,
 * api). Names with no content words or only generic ones are left out.
 */
export function corpusSubjects(documents: readonly Pick<DocumentSummary, 'docId' | 'path' | 'title'>[]): CorpusSubjects {
  const byKey = new Map<string, { name: string; terms: string[]; docIds: Set<string> }>();
  const add = (name: string, docId: string) => {
    const terms = contentTerms(name);
    if (terms.length === 0 || terms.length > MAX_NAME_TERMS || terms.every((term) => GENERIC_NAMES.has(term))) return;
    const key = terms.join(' ');
    const subject = byKey.get(key) ?? { name, terms, docIds: new Set<string>() };
    subject.docIds.add(docId);
    byKey.set(key, subject);
  };
  for (const document of documents) {
    const segments = document.path.split('/');
    // A nested document is about its top folder (a package); the pages of one site, or the
    // chapters of one folder, share their subject and are not told apart by their titles.
    if (segments.length > 1) add(segments[0], document.docId);
    else {
      add(document.title, document.docId);
      add(baseName(segments[0]), document.docId);
    }
  }
  const subjects = [...byKey.values()];
  return { subjects, nameTerms: new Set(subjects.flatMap((subject) => subject.terms)) };
}

/**
 * The subjects a question names: each subject whose name's terms stand together, in order, among
 * the question's terms. Longer names win where two overlap ("express-rate-limit" over "express").
 */
export function subjectsNamed(questionTerms: readonly string[], corpus: CorpusSubjects): Subject[] {
  const matches: { subject: Subject; from: number; to: number }[] = [];
  for (const subject of corpus.subjects) {
    for (let i = 0; i + subject.terms.length <= questionTerms.length; i++) {
      if (subject.terms.every((term, j) => questionTerms[i + j] === term)) matches.push({ subject, from: i, to: i + subject.terms.length });
    }
  }
  matches.sort((a, b) => b.to - b.from - (a.to - a.from));
  const taken = new Set<number>();
  const named: Subject[] = [];
  for (const match of matches) {
    const positions = Array.from({ length: match.to - match.from }, (_, i) => match.from + i);
    if (positions.some((position) => taken.has(position))) continue;
    positions.forEach((position) => taken.add(position));
    if (!named.includes(match.subject)) named.push(match.subject);
  }
  return named;
}

function baseName(file: string): string {
  return file.replace(/\.[^.]*$/, '').replace(/[_]+/g, ' ');
}

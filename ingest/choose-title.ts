import { posix } from 'node:path';

/**
 * Titles that name no document: what tools write when the author gave none (enscript, word
 * processors, site generators) and file-name words like README. A candidate like these gives way
 * to the next one.
 */
const GENERIC_TITLES = /^(readme|read me|index|home|untitled( document)?|document\d*|enscript output|title|default)$/i;

/** File names that say what a file is for, not what it is about: such a file is named by its folder. */
const GENERIC_FILE_NAMES = /^(readme|index|license|licence|copying|changelog|changes|history|contributing|authors|notice|security)$/i;

/** What a loader found to title a document by. */
export interface TitleCandidates {
  /** Titles the author set (front matter, first H1, <title>, PDF metadata), best first. */
  declared: string[];
  /** A plain-text first line that reads like a title: a guess. */
  guessed?: string;
}

/**
 * The title of a document: the first declared title that is not generic; else the guess from
 * plain text's first line, unless the file name is a generic one; else the file name, where a
 * README or LICENSE is named by its folder ("express README"): a list of five "README"s, or of
 * five "(The MIT License)"s, tells a reader nothing.
 */
export function chooseTitle(candidates: TitleCandidates, path: string, folderName: string): string {
  const name = posix.basename(path, posix.extname(path)) || posix.basename(path);
  const genericName = GENERIC_FILE_NAMES.test(name);
  const titles = [...candidates.declared, ...(genericName || !candidates.guessed ? [] : [candidates.guessed])];
  for (const candidate of titles) {
    const title = decodeEntities(candidate).replace(/\s+/g, ' ').trim();
    if (title && !GENERIC_TITLES.test(title)) return title;
  }
  if (!genericName) return name;
  const folder = posix.basename(posix.dirname(path));
  return `${folder === '.' || folder === '' ? folderName : folder} ${name}`;
}

/** Named entities a title may carry from front matter or PDF metadata, written as HTML would show them. */
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  copy: '©',
  reg: '®',
  mdash: '—',
  ndash: '–',
};

/** A title as a reader sees it: `&#128170;` and `&amp;` as the characters they stand for. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? entity;
    const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/**
 * Titles made unique: a title several documents share gets its folder (or, where the folders do
 * not tell them apart, its path) in brackets, e.g. "MIT License (express)".
 */
export function distinguishTitles<T extends { title: string; path: string }>(documents: T[]): T[] {
  const groups = new Map<string, T[]>();
  for (const document of documents) groups.set(document.title, [...(groups.get(document.title) ?? []), document]);
  return documents.map((document) => {
    const group = groups.get(document.title)!;
    if (group.length < 2) return document;
    const folders = group.map((member) => posix.dirname(member.path));
    const folder = posix.dirname(document.path);
    const qualifier = folder !== '.' && folders.filter((f) => f === folder).length === 1 ? folder : document.path;
    return { ...document, title: `${document.title} (${qualifier})` };
  });
}

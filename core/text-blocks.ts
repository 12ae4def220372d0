import type { Block } from './types.js';

/** Kinds of block a document is made of; answers are built from them. */
export type BlockKind =
  'paragraph' | 'heading' | 'code' | 'table-header' | 'table-row' | 'list-item' | 'quote' | 'html' | 'rule' | 'definition';

/** A block of a stored document: `text.slice(start, end)` is the block as written. */
export interface TextBlock {
  kind: BlockKind;
  start: number;
  end: number;
  /** Heading level (1–6) for headings. */
  level?: number;
  /** The code block's info string (language), for code. */
  language?: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^ {0,3}#{1,6}(\s|$)/;
const SETEXT = /^ {0,3}(=+|-+)\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const LIST_ITEM = /^(\s*)([-*+•]|\d{1,3}[.)])\s+\S/;
const QUOTE = /^ {0,3}>/;
const HTML_LINE = /^\s*<\/?[a-zA-Z][\w-]*(\s[^>]*)?\/?>?/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
/** A link reference definition (`[name]: url`), or its URL on the next line. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:(\s+\S+)?\s*$|^\s+(https?:\/\/|\/|#)\S*\s*$/;

interface Line {
  start: number;
  end: number;
  text: string;
}

/**
 * Splits Markdown into blocks by its line structure: fenced code, headings (ATX and setext),
 * tables (header and rows), list items, block quotes, HTML lines and paragraphs.
 *
 * Written by hand rather than with a Markdown parser because answers need only this block
 * outline with exact offsets into the raw text, over any slice of a document, and it must run
 * per question in well under a millisecond; inline syntax is left as written.
 */
export function scanMarkdownBlocks(text: string, offset = 0): TextBlock[] {
  const lines = splitLines(text);
  const blocks: TextBlock[] = [];
  const push = (kind: BlockKind, first: Line, last: Line, extra: Partial<TextBlock> = {}) =>
    blocks.push({ kind, start: offset + first.start, end: offset + last.end, ...extra });
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const text = line.text;
    if (text.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      const marker = fence[1];
      let j = i + 1;
      while (j < lines.length && !new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[j].text)) j++;
      const last = lines[Math.min(j, lines.length - 1)];
      push('code', line, last, { language: fence[2] || undefined });
      i = j + 1;
      continue;
    }
    if (HEADING.test(text)) {
      push('heading', line, line, { level: /#+/.exec(text)![0].length });
      i++;
      continue;
    }
    if (RULE.test(text)) {
      push('rule', line, line);
      i++;
      continue;
    }
    if (text.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1].text) && lines[i + 1].text.includes('-')) {
      push('table-header', line, lines[i + 1]);
      let j = i + 2;
      while (j < lines.length && lines[j].text.includes('|') && lines[j].text.trim() !== '') {
        push('table-row', lines[j], lines[j]);
        j++;
      }
      i = j;
      continue;
    }
    const item = LIST_ITEM.exec(text);
    if (item) {
      // An item runs on over its continuation lines: indented further, or plain wrapped text.
      const indent = item[1].length;
      let j = i + 1;
      while (j < lines.length) {
        const next = lines[j].text;
        if (next.trim() === '' || LIST_ITEM.test(next) || FENCE.test(next) || HEADING.test(next)) break;
        if (leadingSpaces(next) < indent) break;
        j++;
      }
      push('list-item', line, lines[j - 1]);
      i = j;
      continue;
    }
    if (QUOTE.test(text) || HTML_LINE.test(text)) {
      const kind: BlockKind = QUOTE.test(text) ? 'quote' : 'html';
      let j = i + 1;
      while (
        j < lines.length &&
        lines[j].text.trim() !== '' &&
        (kind === 'quote' ? QUOTE.test(lines[j].text) : HTML_LINE.test(lines[j].text))
      )
        j++;
      push(kind, line, lines[j - 1]);
      i = j;
      continue;
    }
    // A paragraph runs to a blank line or the start of another kind of block.
    let j = i + 1;
    while (j < lines.length) {
      const next = lines[j].text;
      if (next.trim() === '' || FENCE.test(next) || HEADING.test(next) || LIST_ITEM.test(next) || QUOTE.test(next)) break;
      if (SETEXT.test(next)) break;
      if (next.includes('|') && j + 1 < lines.length && TABLE_SEPARATOR.test(lines[j + 1].text)) break;
      j++;
    }
    if (j < lines.length && SETEXT.test(lines[j].text) && j === i + 1) {
      push('heading', line, lines[j], { level: lines[j].text.trim().startsWith('=') ? 1 : 2 });
      i = j + 1;
      continue;
    }
    const paragraph = lines.slice(i, j);
    push(paragraph.every((l) => DEFINITION.test(l.text)) ? 'definition' : 'paragraph', line, lines[j - 1]);
    i = j;
  }
  return blocks;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    const trimmedEnd = part.replace(/\s+$/, '');
    lines.push({ start, end: start + trimmedEnd.length, text: part });
    start += part.length + 1;
  }
  return lines;
}

function leadingSpaces(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The ingest's blocks of a document (as for HTML, whose stored text has no Markdown syntax) as
 * answer blocks: the first row of each run of table rows is its header.
 */
export function textBlocksOf(blocks: Block[]): TextBlock[] {
  return blocks.map((block, i): TextBlock => {
    const kind: BlockKind =
      block.kind === 'table-row'
        ? blocks[i - 1]?.kind === 'table-row'
          ? 'table-row'
          : 'table-header'
        : block.kind === 'front-matter'
          ? 'html'
          : block.kind;
    return { kind, start: block.start, end: block.end, ...(block.kind === 'heading' ? { level: block.depth ?? 1 } : {}) };
  });
}

import { LRUCache } from 'lru-cache';
import type { BlockText } from '../contracts/passage-store.js';
import { splitSentences, type SentenceSpan } from '../text/split-sentences.js';
import type { Passage } from '../contracts/types.js';

/** What an answer unit is: a prose sentence, or a structural piece of a technical document. */
export type UnitKind = 'sentence' | 'list-item' | 'code' | 'table-row';

/**
 * A candidate answer: one or more verbatim spans of one document. The last span is the unit's
 * own text; earlier ones give it meaning (a table's header for a row, the sentence that
 * introduces a code block).
 */
export interface AnswerUnit {
  kind: UnitKind;
  docId: string;
  spans: SentenceSpan[];
  /** The unit's own span (the last of `spans`). */
  start: number;
  end: number;
  text: string;
  /** Text that frames the unit without being part of it: the headings above it. */
  context: string;
  /** The nearest heading above the unit (its text without the `#` marks), to show when it names what the question asks about. */
  heading?: SentenceSpan;
  /** The best-ranked retrieved passage the unit came from, and its rank. */
  passage: Passage;
  passageRank: number;
  /** Whether the unit comes from a structured (Markdown) document. */
  structured: boolean;
  /** Code language, for code units. */
  language?: string;
}

/** A retrieved passage with the blocks it was cut from, as the units need it. */
export interface UnitSource {
  passage: Passage;
  /** Markdown and HTML documents are split by their structure; others into sentences. */
  structured: boolean;
  /** The blocks the passage overlaps, whole, with their text (empty for prose). */
  blocks: BlockText[];
  /** The blocks before them that frame them: the nearest heading, a table's header row, the block right before. */
  framing: BlockText[];
}

/** A code block of at most this many lines (and characters) is quoted whole; a longer one as windows. */
const MAX_CODE_LINES = 15;
const MAX_CODE_CHARS = 900;
/** How many lines a window of a long code block starts with, before it is carried past a comment or an open line. */
const CODE_WINDOW = 5;
/** A window is carried on over comments and open lines at most this far. */
const MAX_CODE_WINDOW = 12;
/** A line that comments, or that opens something the next lines finish (`connect({`, `a,`, `=>`). */
const COMMENT_LINE = /^\s*(\/\/|#(?!!)|\/\*|\*|--|<!--)/;
const OPEN_LINE = /[{([,=:]\s*$|=>\s*$|\\\s*$/;
/** A list item longer than this is offered sentence by sentence. */
const MAX_ITEM_CHARS = 400;
/** An introducing sentence longer than this is not repeated before its code block. */
const MAX_INTRO_CHARS = 240;
/** A link reference definition (`[name]: url`), or its URL on a line of its own. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:(\s+\S+)?\s*$|^\s+(https?:\/\/|\/|#)\S*\s*$/;
/** A fenced code block's opening fence and info string. */
const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/;

/**
 * The candidate answers in the retrieved passages: sentences of prose; for structured
 * (Markdown, HTML) documents, whole list items, code blocks (or windows of long ones) with the
 * sentence that introduces them, and table rows with their header, never a bare heading,
 * badge, link or HTML line. Cut from the blocks the ingest found, never from whole documents.
 * Each unit is listed once, under the best-ranked passage that holds it.
 */
export function buildAnswerUnits(sources: UnitSource[]): AnswerUnit[] {
  const units: AnswerUnit[] = [];
  const seen = new Set<string>();
  sources.forEach((source, passageRank) => {
    for (const found of unitsOfPassage(source)) {
      const unit = { ...found, passage: source.passage, passageRank };
      const key = `${unit.docId}:${unit.start}:${unit.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      units.push(unit);
    }
  });
  return units;
}

/**
 * A passage's units (before rank is known), remembered by chunk id and range: every question that
 * retrieves the passage needs the same ones. Checked against the passage's text, so a chunk of the
 * same id from a newer index generation is cut afresh.
 */
function unitsOfPassage(source: UnitSource): AnswerUnit[] {
  const { passage } = source;
  const key = `${passage.chunkId}:${passage.start}:${passage.end}:${source.structured ? 's' : 'p'}`;
  let units = unitCache.get(key);
  if (!units || units[0]?.passage.text !== passage.text) {
    units = source.structured ? structuredUnits(source) : sentenceUnits(passage);
    unitCache.set(key, units);
  }
  return units;
}
const unitCache = new LRUCache<string, AnswerUnit[]>({ max: 5_000 });

function sentenceUnits(passage: Passage): AnswerUnit[] {
  const spans = splitSentences(passage.text, passage.start);
  return spans.map((span) => unitOf('sentence', [span], passage, 0, '', false));
}

function structuredUnits(source: UnitSource): AnswerUnit[] {
  const { passage } = source;
  const units: AnswerUnit[] = [];
  const framing = new Set(source.framing);
  const ordered = [...source.framing, ...source.blocks];
  let heading: SentenceSpan | undefined;
  let tableHeader: SentenceSpan | null = null;
  let previous: BlockText | null = null;
  ordered.forEach((block, i) => {
    const blockSpan = { start: block.start, end: block.end, text: block.text };
    if (block.kind === 'heading') heading = headingSpan(block);
    // The first row of a run of table rows is the table's header.
    const isHeader = block.kind === 'table-row' && previous?.kind !== 'table-row';
    if (isHeader) tableHeader = blockSpan;
    if (!framing.has(block)) {
      const make = (kind: UnitKind, spans: SentenceSpan[], language?: string) => ({
        ...unitOf(kind, spans, passage, 0, block.headingPath.filter((h) => h !== '').join(' › '), true, language),
        heading,
      });
      switch (block.kind) {
        case 'paragraph':
        case 'quote': {
          if (block.text.split('\n').every((line) => DEFINITION.test(line))) break;
          // A last sentence that leads into a code block ("...as shown below:") is offered with the code.
          const next = ordered[i + 1];
          const leadsIntoCode = next?.kind === 'code' && next.start >= block.end;
          // A paragraph of badges says nothing, whatever its sentences look like once split
          // ("[![Node.js Version][node-image]][node-url]" splits after "Node.").
          if (!isProse(block.text)) break;
          const sentences = splitSentences(block.text, block.start);
          sentences.forEach((span, n) => {
            const intro = leadsIntoCode && n === sentences.length - 1 && /:\s*$/.test(span.text);
            if (isProse(span.text) && !intro) units.push(make('sentence', [span]));
          });
          break;
        }
        case 'list-item':
          if (block.text.length <= MAX_ITEM_CHARS) {
            if (isProse(block.text)) units.push(make('list-item', [blockSpan]));
          } else {
            for (const span of splitSentences(block.text, block.start)) if (isProse(span.text)) units.push(make('list-item', [span]));
          }
          break;
        case 'table-row':
          if (!isHeader && tableHeader && isProse(block.text)) units.push(make('table-row', [tableHeader, blockSpan]));
          break;
        case 'code':
          for (const spans of codeUnits(block, previous)) units.push(make('code', spans, FENCE.exec(block.text)?.[2] || undefined));
          break;
      }
    }
    if (block.kind !== 'table-row') tableHeader = null;
    previous = block;
  });
  return units;
}

/** A code block's content lines as one unit, or windows of a long block; led by an introducing sentence. */
function codeUnits(block: BlockText, previous: BlockText | null): SentenceSpan[][] {
  const lines: SentenceSpan[] = [];
  let position = block.start;
  for (const line of block.text.split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed.trim() !== '' && !/^\s*(```|~~~)/.test(trimmed))
      lines.push({ start: position, end: position + trimmed.length, text: trimmed });
    position += line.length + 1;
  }
  if (lines.length === 0) return [];
  const intro = introducingSentence(block, previous);
  const span = (from: number, to: number): SentenceSpan => ({
    start: lines[from].start,
    end: lines[to].end,
    text: block.text.slice(lines[from].start - block.start, lines[to].end - block.start),
  });
  const whole = span(0, lines.length - 1);
  if (lines.length <= MAX_CODE_LINES && whole.text.length <= MAX_CODE_CHARS) return [intro ? [intro, whole] : [whole]];
  // A long block as overlapping windows, each carried on past a comment or an open line at its
  // end: a comment takes the lines it introduces, and a call is quoted to its close.
  const windows: SentenceSpan[][] = [];
  let lastEnd = -1;
  for (let from = 0; from < lines.length; from++) {
    // A window starts where a statement starts: not in a comment's lines, nor inside a call or object left open above.
    if (from > 0 && COMMENT_LINE.test(lines[from - 1].text) && !COMMENT_LINE.test(lines[from].text)) continue;
    if (from > 0 && (OPEN_LINE.test(lines[from - 1].text) || /^\s*[)}\]]/.test(lines[from].text))) continue;
    let to = Math.min(from + CODE_WINDOW, lines.length) - 1;
    while (
      to < lines.length - 1 &&
      to - from < MAX_CODE_WINDOW - 1 &&
      (COMMENT_LINE.test(lines[to].text) || OPEN_LINE.test(lines[to].text))
    )
      to++;
    if (to === lastEnd) continue;
    lastEnd = to;
    windows.push([span(from, to)]);
    if (to === lines.length - 1) break;
  }
  if (intro) windows[0] = [intro, ...windows[0]];
  return windows;
}

/** The last sentence of the paragraph right before a code block, when it leads into it (ends with a colon). */
function introducingSentence(block: BlockText, previous: BlockText | null): SentenceSpan | null {
  if (!previous || (previous.kind !== 'paragraph' && previous.kind !== 'list-item') || previous.end > block.start) return null;
  const last = splitSentences(previous.text, previous.start).at(-1);
  return last && last.text.length <= MAX_INTRO_CHARS && /:\s*$/.test(last.text) && isProse(last.text) ? last : null;
}

/**
 * A heading's own words: the block without its `#` marks or setext underline, as an exact span;
 * undefined for a heading written as HTML (`<h1 align="center">…`), whose tags are no answer text.
 */
function headingSpan(block: BlockText): SentenceSpan | undefined {
  const line = block.text.split('\n')[0];
  if (line.trimStart().startsWith('<')) return undefined;
  const lead = /^\s*#*\s*/.exec(line)![0].length;
  const text = line.slice(lead).replace(/\s*#*\s*$/, '');
  return text ? { start: block.start + lead, end: block.start + lead + text.length, text } : undefined;
}

/**
 * Whether a piece of Markdown says something in words: not only a link, image, badge, URL,
 * HTML tag or punctuation.
 */
export function isProse(text: string): boolean {
  const plain = text
    .replace(/!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  const words = (withLinks: string) => withLinks.match(/[\p{L}\p{N}]{2,}/gu)?.length ?? 0;
  // A link's own text counts only beside words of the unit's own: a list of links says nothing.
  const outsideLinks = words(plain.replace(/\[[^\]]*\]\([^)]*\)|\[[^\]]*\]\[[^\]]*\]/g, ' '));
  return outsideLinks > 0 && words(plain.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')) >= 2;
}

function unitOf(
  kind: UnitKind,
  spans: SentenceSpan[],
  passage: Passage,
  passageRank: number,
  context: string,
  structured: boolean,
  language?: string,
): AnswerUnit {
  const own = spans.at(-1)!;
  return {
    kind,
    docId: passage.docId,
    spans,
    start: own.start,
    end: own.end,
    text: own.text,
    context,
    passage,
    passageRank,
    structured,
    language,
  };
}

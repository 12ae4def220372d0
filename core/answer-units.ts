import { splitSentences, type SentenceSpan } from './split-sentences.js';
import { scanMarkdownBlocks, type TextBlock } from './text-blocks.js';
import type { Passage } from './types.js';

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

/** The stored text of a document, as the units need it. */
export interface UnitSource {
  text: string;
  /** Markdown-like documents are split by their structure; others into sentences. */
  structured: boolean;
  /** The document's blocks when the ingest knows them (HTML); Markdown is scanned from its text. */
  blocks?: TextBlock[];
}

/** A code block longer than this many lines is offered as windows of CODE_WINDOW lines. */
const MAX_CODE_LINES = 6;
const MAX_CODE_CHARS = 360;
const CODE_WINDOW = 3;
/** A list item longer than this is offered sentence by sentence. */
const MAX_ITEM_CHARS = 400;
/** An introducing sentence longer than this is not repeated before its code block. */
const MAX_INTRO_CHARS = 240;

const blockCache = new WeakMap<UnitSource, TextBlock[]>();

/**
 * The candidate answers in the retrieved passages: sentences of prose; for structured
 * (Markdown) documents, whole list items, code blocks (or windows of long ones) with the
 * sentence that introduces them, and table rows with their header, never a bare heading,
 * badge, link or HTML line. Each unit is listed once, under the best-ranked passage that holds it.
 */
export function buildAnswerUnits(passages: Passage[], sourceOf: (docId: string) => UnitSource | undefined): AnswerUnit[] {
  const units: AnswerUnit[] = [];
  const seen = new Set<string>();
  passages.forEach((passage, passageRank) => {
    const source = sourceOf(passage.docId);
    for (const found of unitsOfPassage(passage, source)) {
      const unit = { ...found, passage, passageRank };
      const key = `${unit.docId}:${unit.start}:${unit.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      units.push(unit);
    }
  });
  return units;
}

/**
 * A passage's units (before rank is known), remembered per chunk and source document: every
 * question that retrieves the passage needs the same ones.
 */
function unitsOfPassage(passage: Passage, source: UnitSource | undefined): AnswerUnit[] {
  const key = `${passage.chunkId}:${passage.start}:${passage.end}:${source?.structured ? 's' : 'p'}`;
  const cache = source ? (unitCache.get(source) ?? new Map<string, AnswerUnit[]>()) : proseCache;
  if (source && !unitCache.has(source)) unitCache.set(source, cache);
  let units = cache.get(key);
  if (!units || units[0]?.passage.text !== passage.text) {
    if (cache.size >= MAX_CACHED_PASSAGES) cache.clear();
    units = source?.structured ? structuredUnits(passage, 0, source) : sentenceUnits(passage, 0);
    cache.set(key, units);
  }
  return units;
}
const unitCache = new WeakMap<UnitSource, Map<string, AnswerUnit[]>>();
const proseCache = new Map<string, AnswerUnit[]>();
const MAX_CACHED_PASSAGES = 5_000;

function sentenceUnits(passage: Passage, passageRank: number): AnswerUnit[] {
  const spans = splitSentences(passage.text, passage.start);
  return spans.map((span) => unitOf('sentence', [span], passage, passageRank, '', false));
}

function structuredUnits(passage: Passage, passageRank: number, source: UnitSource): AnswerUnit[] {
  let blocks = blockCache.get(source);
  if (!blocks) {
    blocks = source.blocks ?? scanMarkdownBlocks(source.text);
    blockCache.set(source, blocks);
  }
  const units: AnswerUnit[] = [];
  const headings: { level: number; text: string; span: SentenceSpan }[] = [];
  let tableHeader: SentenceSpan | null = null;
  let previous: TextBlock | null = null;
  for (const block of blocks) {
    if (block.start >= passage.end) break;
    const blockText = source.text.slice(block.start, block.end);
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      while (headings.length > 0 && headings.at(-1)!.level >= level) headings.pop();
      const span = headingSpan(blockText, block.start);
      headings.push({ level, text: span.text, span });
    }
    if (block.kind === 'table-header') tableHeader = { start: block.start, end: block.end, text: blockText };
    const overlaps = block.end > passage.start;
    if (overlaps) {
      const context = headings.map((h) => h.text).join(' › ');
      const heading = headings.at(-1)?.span;
      const make = (kind: UnitKind, spans: SentenceSpan[], language?: string) => ({
        ...unitOf(kind, spans, passage, passageRank, context, true, language),
        heading,
      });
      switch (block.kind) {
        case 'paragraph':
        case 'quote': {
          // A last sentence that leads into a code block ("...as shown below:") is offered with the code.
          const next = blocks[blocks.indexOf(block) + 1];
          const leadsIntoCode = next?.kind === 'code' && source.text.slice(block.end, next.start).trim() === '';
          const sentences = splitSentences(blockText, block.start);
          sentences.forEach((span, i) => {
            const intro = leadsIntoCode && i === sentences.length - 1 && /:\s*$/.test(span.text);
            if (isProse(span.text) && !intro) units.push(make('sentence', [span]));
          });
          break;
        }
        case 'list-item':
          if (blockText.length <= MAX_ITEM_CHARS) {
            if (isProse(blockText)) units.push(make('list-item', [{ start: block.start, end: block.end, text: blockText }]));
          } else {
            for (const span of splitSentences(blockText, block.start)) if (isProse(span.text)) units.push(make('list-item', [span]));
          }
          break;
        case 'table-row':
          if (tableHeader && isProse(blockText))
            units.push(make('table-row', [tableHeader, { start: block.start, end: block.end, text: blockText }]));
          break;
        case 'code':
          for (const spans of codeUnits(source.text, block, previous)) units.push(make('code', spans, block.language));
          break;
      }
    }
    if (block.kind !== 'table-row' && block.kind !== 'table-header') tableHeader = null;
    previous = block;
  }
  return units;
}

/** A code block's content lines as one unit, or windows of a long block; led by an introducing sentence. */
function codeUnits(text: string, block: TextBlock, previous: TextBlock | null): SentenceSpan[][] {
  const lines: SentenceSpan[] = [];
  let position = block.start;
  for (const line of text.slice(block.start, block.end).split('\n')) {
    const trimmed = line.trimEnd();
    if (trimmed.trim() !== '' && !/^\s*(```|~~~)/.test(trimmed))
      lines.push({ start: position, end: position + trimmed.length, text: trimmed });
    position += line.length + 1;
  }
  if (lines.length === 0) return [];
  const intro = introducingSentence(text, block, previous);
  const span = (from: number, to: number): SentenceSpan => ({
    start: lines[from].start,
    end: lines[to].end,
    text: text.slice(lines[from].start, lines[to].end),
  });
  const whole = span(0, lines.length - 1);
  if (lines.length <= MAX_CODE_LINES && whole.text.length <= MAX_CODE_CHARS) return [intro ? [intro, whole] : [whole]];
  const windows: SentenceSpan[][] = [];
  for (let i = 0; i + CODE_WINDOW <= lines.length || (i === 0 && lines.length > 0); i++) {
    windows.push([span(i, Math.min(i + CODE_WINDOW, lines.length) - 1)]);
  }
  if (intro) windows[0] = [intro, ...windows[0]];
  return windows;
}

/** The last sentence of the paragraph right before a code block, when it leads into it (ends with a colon). */
function introducingSentence(text: string, block: TextBlock, previous: TextBlock | null): SentenceSpan | null {
  if (!previous || (previous.kind !== 'paragraph' && previous.kind !== 'list-item')) return null;
  if (text.slice(previous.end, block.start).trim() !== '') return null;
  const last = splitSentences(text.slice(previous.start, previous.end), previous.start).at(-1);
  return last && last.text.length <= MAX_INTRO_CHARS && /:\s*$/.test(last.text) && isProse(last.text) ? last : null;
}

/** A heading's own words: the block without its `#` marks or setext underline, as an exact span. */
function headingSpan(blockText: string, start: number): SentenceSpan {
  const line = blockText.split('\n')[0];
  const lead = /^\s*#*\s*/.exec(line)![0].length;
  const text = line.slice(lead).replace(/\s*#*\s*$/, '');
  return { start: start + lead, end: start + lead + text.length, text };
}

/**
 * Whether a piece of Markdown says something in words: not only a link, image, badge, URL,
 * HTML tag or punctuation.
 */
export function isProse(text: string): boolean {
  const words = text
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .match(/[\p{L}\p{N}]{2,}/gu);
  return (words?.length ?? 0) >= 2;
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

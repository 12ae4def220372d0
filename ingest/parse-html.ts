import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { normalizeText } from '../core/text/normalize-text.js';
import type { Block, BlockKind } from '../core/contracts/types.js';
import { HeadingTrail } from './heading-trail.js';

/** An HTML page as stored: its readable text, the blocks of that text, and its title. */
export interface ParsedHtml {
  text: string;
  blocks: Block[];
  /** The page's <title>, then its first <h1>, when present. */
  titles: string[];
}

/** Elements whose content is not readable text: code, styling, navigation, media, form controls. */
const SKIPPED = new Set([
  'head',
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'img',
  'picture',
  'video',
  'audio',
  'map',
  'select',
  'button',
  'input',
  'textarea',
]);

/** Elements that start and end a block; anything else is inline. */
const BLOCK_ELEMENTS = new Set([
  'html',
  'body',
  'main',
  'article',
  'section',
  'aside',
  'header',
  'footer',
  'div',
  'center',
  'address',
  'details',
  'summary',
  'dialog',
  'figure',
  'figcaption',
  'fieldset',
  'legend',
  'form',
  'hgroup',
  'dl',
  'dt',
  'dd',
  'p',
  'hr',
  'ul',
  'ol',
  'menu',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
]);

const HEADING = /^h([1-6])$/;

/** A block's text before it is joined into the page text. */
interface Piece {
  kind: BlockKind;
  text: string;
  headingPath: string[];
  depth?: number;
}

/**
 * Extracts an HTML page's readable text with its structure: headings, paragraphs, list items
 * (nested ones after their parent's own text), table rows (cells joined by " | "), preformatted
 * code and quotes, each a block with exact offsets into the text. Hand-written over
 * htmlparser2's DOM because the text and the offsets must come from one walk; html-to-text,
 * which gave the text before, reports no positions. Runs of list items and table rows are
 * separated by one line break, other blocks by a blank line; the text is already normalised.
 */
export function parseHtml(html: string): ParsedHtml {
  const document = parseDocument(html);
  const walker = new HtmlWalker();
  walker.walk(document.children);
  walker.flush();
  const titleElement = DomUtils.findOne((element) => element.name === 'title', document.children);
  const titles = [titleElement ? collapse(DomUtils.textContent(titleElement)) : '', walker.firstTopHeading ?? ''].filter(Boolean);
  return { ...joinPieces(walker.pieces), titles };
}

/** The first h1-h6 of an HTML fragment (as Markdown embeds them), with its level and text. */
export function firstHtmlHeading(fragment: string): { depth: number; text: string } | undefined {
  const element = DomUtils.findOne((candidate) => HEADING.test(candidate.name), parseDocument(fragment).children);
  if (!element) return undefined;
  const text = inlineText(element.children);
  return text ? { depth: Number(HEADING.exec(element.name)![1]), text } : undefined;
}

class HtmlWalker {
  readonly pieces: Piece[] = [];
  firstTopHeading: string | undefined;
  private readonly headings = new HeadingTrail();
  private inline: string[] = [];
  /** The kind that inline text is flushed as: list-item inside <li>, quote inside <blockquote>. */
  private readonly contexts: BlockKind[] = ['paragraph'];
  private listDepth = 0;

  walk(nodes: ChildNode[]): void {
    for (const node of nodes) {
      if (isText(node)) this.inline.push(node.data.replace(/\s+/g, ' '));
      else if (isTag(node)) this.element(node);
    }
  }

  /** Emits the pending inline text as a block of the current context's kind. */
  flush(): void {
    const text = inlineLines(this.inline.join(''));
    this.inline = [];
    const kind = this.contexts.at(-1)!;
    if (text) this.emit(kind, text, kind === 'list-item' ? this.listDepth : undefined);
  }

  private element(element: Element): void {
    const name = element.name.toLowerCase();
    if (SKIPPED.has(name) || isHidden(element)) return;
    const heading = HEADING.exec(name);
    if (name === 'br') this.inline.push('\n');
    else if (heading) this.heading(Number(heading[1]), inlineText(element.children));
    else if (name === 'pre') this.block(() => this.emit('code', DomUtils.textContent(element)));
    else if (name === 'tr') this.block(() => this.tableRow(element));
    else if (name === 'li')
      this.nested(
        'list-item',
        element,
        () => this.listDepth++,
        () => this.listDepth--,
      );
    else if (name === 'blockquote') this.nested('quote', element);
    else if (BLOCK_ELEMENTS.has(name)) this.block(() => this.walk(element.children));
    else this.walk(element.children);
  }

  private heading(depth: number, text: string): void {
    this.block(() => {
      if (!text) return;
      if (depth === 1) this.firstTopHeading ??= text;
      this.headings.enter(depth, text);
      this.emit('heading', text, depth);
    });
  }

  private tableRow(row: Element): void {
    const cells = row.children.filter((cell): cell is Element => isTag(cell) && /^t[dh]$/i.test(cell.name));
    const text = cells.map((cell) => inlineText(cell.children)).join(' | ');
    if (text.replace(/[\s|]/g, '')) this.emit('table-row', text);
  }

  /** A block element: what came before it and what it holds are separate blocks. */
  private block(body: () => void): void {
    this.flush();
    body();
    this.flush();
  }

  /** An element whose own inline text becomes blocks of `kind` (nested blocks keep theirs). */
  private nested(kind: BlockKind, element: Element, enter = () => {}, leave = () => {}): void {
    this.block(() => {
      this.contexts.push(kind);
      enter();
      this.walk(element.children);
      this.flush();
      leave();
      this.contexts.pop();
    });
  }

  private emit(kind: BlockKind, raw: string, depth?: number): void {
    // Each block's text is normalised on its own (NFC, no trailing spaces, trimmed), so the joined text is too.
    const text = normalizeText(raw);
    if (!text) return;
    this.pieces.push({ kind, text, headingPath: this.headings.path(), ...(depth ? { depth } : {}) });
  }
}

/** Joins the pieces into the stored text and gives each block its offsets in it. */
function joinPieces(pieces: Piece[]): { text: string; blocks: Block[] } {
  let text = '';
  const blocks: Block[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) text += sameRun(pieces[i - 1], piece) ? '\n' : '\n\n';
    blocks.push({
      kind: piece.kind,
      start: text.length,
      end: text.length + piece.text.length,
      headingPath: piece.headingPath,
      page: null,
      ...(piece.depth ? { depth: piece.depth } : {}),
    });
    text += piece.text;
  });
  // Every piece is normalised and trimmed, so the joined text is too; a failure here is a bug, not bad input.
  if (normalizeText(text) !== text) throw new Error('parseHtml: the extracted text is not normalised');
  return { text, blocks };
}

/** List items follow each other, and table rows, on consecutive lines. */
function sameRun(previous: Piece, next: Piece): boolean {
  return previous.kind === next.kind && (next.kind === 'list-item' || next.kind === 'table-row');
}

/** The readable text of inline content, on one line. */
function inlineText(nodes: ChildNode[]): string {
  const parts: string[] = [];
  const visit = (children: ChildNode[]) => {
    for (const node of children) {
      if (isText(node)) parts.push(node.data);
      else if (isTag(node) && !SKIPPED.has(node.name.toLowerCase()) && !isHidden(node)) {
        if (node.name === 'br') parts.push(' ');
        else visit(node.children);
      }
    }
  };
  visit(nodes);
  return collapse(parts.join(''));
}

/** Inline text with its <br> line breaks kept, each line collapsed and trimmed. */
function inlineLines(text: string): string {
  return text.split('\n').map(collapse).filter(Boolean).join('\n');
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isHidden(element: Element): boolean {
  return element.attribs.hidden !== undefined || element.attribs['aria-hidden'] === 'true';
}

// Renders stored text as DOM, Markdown or plain, with the cited spans of the source highlighted.
//
// Safe by construction: every node is made with createElement and every text with text nodes,
// never innerHTML, so HTML written in a document shows as its source text and cannot run.
// Exact by construction: the parser (@lezer/markdown, bundled by the server at /vendor) gives
// every node, including each syntax mark, its source offsets; what is shown is the source
// minus those marks, so each shown character is a character of the source at a known offset.
// Each cited span [start, end) is wrapped in <mark> wherever its characters land, split across
// cells, lines and elements as needed. Escapes and entities count as the characters they stand for.
import type { SyntaxNode } from '@lezer/common';
import { GFM, parser as markdownParser } from './vendor/lezer-markdown.js';

/** A span of the source, [start, end) in its characters. */
export interface Span {
  start: number;
  end: number;
}

export interface RenderOptions {
  /** Source spans to wrap in <mark>. */
  highlights?: Span[];
  /** Added to heading levels (the page's own headings sit above). */
  headingOffset?: number;
  /** Makes the nodes of shown text (the answer's [n] markers become buttons). */
  decorateText?: ((text: string) => Node[]) | null;
  /** False when `source` is a later part of a document, which has no front matter. */
  frontMatter?: boolean;
  /** A Copy button on each code block (answers: code is what a reader takes away). */
  copyCode?: boolean;
  /** Leaves out badge images (shields, CI status) and images by reference: in an answer they are noise, and the page loads no image. */
  dropBadges?: boolean;
  /**
   * A short preview (a closest passage): raw HTML, comments and images (a README's badges) left
   * out, and a reference link shown as its text, where in the whole document they are shown as written.
   */
  preview?: boolean;
}

const parser = markdownParser.configure(GFM);

/** Syntax marks: source characters that shape the output but are not shown. */
const MARKS = new Set([
  'HeaderMark',
  'QuoteMark',
  'ListMark',
  'EmphasisMark',
  'CodeMark',
  'CodeInfo',
  'LinkMark',
  'LinkTitle',
  'LinkLabel',
  'StrikethroughMark',
  'TableDelimiter',
]);
const RAW_BLOCKS = new Set(['HTMLBlock', 'CommentBlock', 'ProcessingInstructionBlock', 'LinkReference']);
const RAW_INLINE = new Set(['HTMLTag', 'Comment', 'ProcessingInstruction', 'TaskMarker']);
const INLINE_ELEMENTS: Record<string, string> = { Emphasis: 'em', StrongEmphasis: 'strong', Strikethrough: 'del', InlineCode: 'code' };
/** A few named entities; others show as written (numeric ones are always decoded). */
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '©',
  reg: '®',
  mdash: '—',
  ndash: '–',
  hellip: '…',
};
/** Where README badges come from: shields and badge services, CI status images, coverage and package registries' badges. */
const BADGE_IMAGE =
  /badge|shields\.io|badgen\.net|\/workflows\/|travis-ci|circleci|appveyor|coveralls|codecov|npm\.im|packagephobia|snyk\.io\/test/i;
const FRONT_MATTER = /^(---|\+\+\+)[ \t]*\n[\s\S]*?\n(?:\1|\.\.\.)[ \t]*(?:\n|$)/;

/** Renders Markdown into `container` (its children are replaced); returns the <mark> elements in document order. */
export function renderMarkdown(container: HTMLElement, source: string, options: RenderOptions = {}): HTMLElement[] {
  const view = new View(source, options);
  const fragment = document.createDocumentFragment();
  const matter = options.frontMatter === false ? null : FRONT_MATTER.exec(source);
  let base = 0;
  if (matter) {
    const pre = element(fragment, 'pre', 'md-front-matter');
    view.text(pre, 0, matter[0].trimEnd().length);
    base = matter[0].length;
  }
  view.base = base;
  view.blocks(fragment, parser.parse(source.slice(base)).topNode);
  container.replaceChildren(fragment);
  return view.marks;
}

/** Renders plain text (kept as written, line breaks and all) into `container`; returns the <mark>s. */
export function renderPlainText(container: HTMLElement, source: string, options: RenderOptions = {}): HTMLElement[] {
  const view = new View(source, options);
  const block = document.createElement('div');
  block.className = 'plain-text';
  view.text(block, 0, source.length);
  container.replaceChildren(block);
  return view.marks;
}

class View {
  readonly highlights: Span[];
  readonly headingOffset: number;
  readonly decorateText: ((text: string) => Node[]) | null;
  readonly copyCode: boolean;
  readonly preview: boolean;
  readonly dropBadges: boolean;
  /** Offset of the parsed part in `source` (after front matter); tree positions are relative to it. */
  base = 0;
  readonly marks: HTMLElement[] = [];

  constructor(
    readonly source: string,
    { highlights = [], headingOffset = 0, decorateText = null, copyCode = false, preview = false, dropBadges = false }: RenderOptions,
  ) {
    this.highlights = highlights.filter((span) => span.end > span.start).sort((a, b) => a.start - b.start);
    this.headingOffset = headingOffset;
    this.decorateText = decorateText;
    this.copyCode = copyCode;
    this.preview = preview;
    this.dropBadges = dropBadges;
  }

  /** Shows source[from, to) as it is (absolute offsets), marking the highlighted parts. */
  text(parent: Node, from: number, to: number): void {
    if (to <= from) return;
    let at = from;
    for (const span of this.highlights) {
      if (span.end <= at || span.start >= to) continue;
      const markFrom = Math.max(at, span.start);
      const markTo = Math.min(to, span.end);
      this.append(parent, this.source.slice(at, markFrom));
      this.append(this.mark(parent), this.source.slice(markFrom, markTo));
      at = markTo;
    }
    this.append(parent, this.source.slice(at, to));
  }

  /** Shows `value` standing for source[from, to) (an escape or entity), marked if a span covers any of it. */
  textFor(parent: Node, value: string, from: number, to: number): void {
    const marked = this.highlights.some((span) => span.start < to && span.end > from);
    this.append(marked ? this.mark(parent) : parent, value);
  }

  append(parent: Node, value: string): void {
    if (!value) return;
    const into = parent as ParentNode;
    if (this.decorateText) into.append(...this.decorateText(value));
    else into.append(document.createTextNode(value));
  }

  /** The <mark> to put highlighted text in: the one just before, when the span continues it (an escape, an entity). */
  mark(parent: Node): HTMLElement {
    if (parent.lastChild && parent.lastChild === this.marks.at(-1)) return parent.lastChild as HTMLElement;
    const mark = element(parent, 'mark');
    this.marks.push(mark);
    return mark;
  }

  /** Children of a block container (document, quote, list item). */
  blocks(parent: Node, node: SyntaxNode): void {
    for (let child = node.firstChild; child; child = child.nextSibling) this.block(parent, child);
  }

  block(parent: Node, node: SyntaxNode): void {
    const name = node.name;
    if (MARKS.has(name)) return;
    const heading = /^(?:ATX|Setext)Heading(\d)$/.exec(name);
    if (heading) {
      const level = Math.min(6, Number(heading[1]) + this.headingOffset);
      // A preview's headings are not the page's: shown bold, out of the page's heading outline.
      this.inline(element(parent, this.preview ? 'p' : `h${level}`, this.preview ? 'md-heading md-preview-heading' : 'md-heading'), node);
    } else if (name === 'Paragraph' || name === 'Task') {
      this.inline(element(parent, 'p', name === 'Task' ? 'md-task' : undefined), node);
    } else if (name === 'Blockquote') {
      this.blocks(element(parent, 'blockquote'), node);
    } else if (name === 'BulletList' || name === 'OrderedList') {
      const list = element(parent, name === 'BulletList' ? 'ul' : 'ol');
      const first = node.firstChild?.firstChild;
      if (list instanceof HTMLOListElement && first?.name === 'ListMark') {
        const start = parseInt(this.slice(first), 10);
        if (start !== 1 && Number.isFinite(start)) list.start = start;
      }
      this.blocks(list, node);
    } else if (name === 'ListItem') {
      this.blocks(element(parent, 'li'), node);
    } else if (name === 'FencedCode' || name === 'CodeBlock') {
      this.code(parent, node);
    } else if (name === 'Table') {
      this.table(parent, node);
    } else if (name === 'HorizontalRule') {
      element(parent, 'hr');
    } else if (RAW_BLOCKS.has(name)) {
      if (!this.preview) this.text(element(parent, 'pre', 'md-raw'), this.base + node.from, this.base + node.to);
    } else {
      this.inline(element(parent, 'p'), node);
    }
  }

  /** Code keeps its lines: the code text pieces, and the line breaks between them (indents and `>` left out). */
  code(parent: Node, node: SyntaxNode): void {
    const info = node.getChild('CodeInfo');
    const language = info ? this.slice(info) : '';
    // With a Copy button: a bar above the code holds it (and the language), so it covers no code.
    const holder = this.copyCode ? element(parent, 'div', 'md-code-block') : parent;
    const bar = this.copyCode ? element(holder, 'div', 'md-code-bar') : null;
    if (bar && language) element(bar, 'span', 'md-code-language').textContent = language;
    const wrap = element(holder, 'pre', 'md-code');
    // An answer's long lines scroll inside the block: focusable, so a keyboard can scroll it too.
    if (this.copyCode) wrap.tabIndex = 0;
    const code = element(wrap, 'code');
    if (language) code.dataset.language = language;
    let previous: SyntaxNode | null = null;
    let copied = '';
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'CodeText') continue;
      if (previous) {
        for (let at = previous.to; at < child.from; at++) {
          if (this.source[this.base + at] !== '\n') continue;
          this.text(code, this.base + at, this.base + at + 1);
          copied += '\n';
        }
      }
      this.text(code, this.base + child.from, this.base + child.to);
      copied += this.slice(child);
      previous = child;
    }
    bar?.append(copyButton(copied, language));
  }

  table(parent: Node, node: SyntaxNode): void {
    const wrap = element(parent, 'div', 'md-table-wrap');
    const table = element(wrap, 'table');
    let alignments: string[] = [];
    let body: HTMLElement | null = null;
    for (let row = node.firstChild; row; row = row.nextSibling) {
      if (row.name === 'TableDelimiter') {
        alignments = this.slice(row)
          .replace(/^\s*\|/, '')
          .replace(/\|\s*$/, '')
          .split('|')
          .map((cell) => {
            const left = /^\s*:/.test(cell);
            const right = /:\s*$/.test(cell);
            return left && right ? 'center' : right ? 'right' : left ? 'left' : '';
          });
        continue;
      }
      const header = row.name === 'TableHeader';
      const section = header ? element(table, 'thead') : (body ??= element(table, 'tbody'));
      const tr = element(section, 'tr');
      this.cells(row).forEach((cell, column) => {
        const td = element(tr, header ? 'th' : 'td');
        if (alignments[column]) td.style.textAlign = alignments[column];
        if (cell) this.inline(td, cell);
      });
    }
  }

  /** A row's cells in order, null for an empty one (GFM gives no node for `| |`). */
  cells(row: SyntaxNode): (SyntaxNode | null)[] {
    const slots: SyntaxNode[][] = [[]];
    for (let child = row.firstChild; child; child = child.nextSibling) {
      if (child.name === 'TableDelimiter') slots.push([]);
      else if (child.name === 'TableCell') slots[slots.length - 1].push(child);
    }
    if (row.firstChild?.name === 'TableDelimiter' && row.firstChild.from === row.from) slots.shift();
    if (row.lastChild?.name === 'TableDelimiter' && slots[slots.length - 1]?.length === 0) slots.pop();
    return slots.map((slot) => slot[0] ?? null);
  }

  /** Inline content of `node`: the text between its children, and the children themselves. */
  inline(parent: Node, node: SyntaxNode, from = node.from, to = node.to): void {
    let at = from;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.to <= from || child.from >= to) continue;
      this.text(parent, this.base + at, this.base + child.from);
      this.inlineNode(parent, child);
      at = child.to;
    }
    this.text(parent, this.base + at, this.base + to);
  }

  inlineNode(parent: Node, node: SyntaxNode): void {
    const name = node.name;
    if (MARKS.has(name)) return;
    if (INLINE_ELEMENTS[name]) this.inline(element(parent, INLINE_ELEMENTS[name]), node);
    else if (name === 'Link' || name === 'Image') this.link(parent, node);
    else if (name === 'Autolink' || name === 'URL') this.autolink(parent, node, name === 'URL' ? node : node.getChild('URL'));
    else if (name === 'Escape') this.textFor(parent, this.slice(node).slice(1), this.base + node.from, this.base + node.to);
    else if (name === 'Entity') this.textFor(parent, decodeEntity(this.slice(node)), this.base + node.from, this.base + node.to);
    else if (name === 'HardBreak') element(parent, 'br');
    else if (RAW_INLINE.has(name)) {
      if (this.preview && name !== 'TaskMarker') return;
      this.text(element(parent, 'span', name === 'TaskMarker' ? 'md-task-marker' : 'md-raw'), this.base + node.from, this.base + node.to);
    } else this.inline(parent, node);
  }

  /** `[text](url)`: a link only for http(s) and mailto; images show their text (the page loads nothing). */
  link(parent: Node, node: SyntaxNode): void {
    const url = node.getChild('URL');
    const marks = node.getChildren('LinkMark');
    if (node.name === 'Image' && this.dropsImage(node)) return;
    // A link around nothing but dropped images (a badge linking to its CI) would be an empty link.
    if (node.name === 'Link' && marks.length >= 2 && this.holdsOnlyDroppedImages(node, marks[0].to, marks[1].from)) return;
    if (this.preview && (!url || marks.length < 2)) {
      // `[text][ref]` as its text; `[![badge][img]][link]` is all image, so nothing.
      if (marks.length >= 2) this.inline(parent, node, marks[0].to, marks[1].from);
      return;
    }
    if (!url || marks.length < 2) {
      // A reference link (`[1]`, `[text][ref]`) is left as written: definitions are not resolved.
      this.text(parent, this.base + node.from, this.base + node.to);
      return;
    }
    const target = node.name === 'Image' ? element(parent, 'span', 'md-image') : linkElement(parent, this.slice(url));
    if (node.name === 'Image') target.title = `Image: ${this.slice(url)}`;
    this.inline(target, node, marks[0].to, marks[1].from);
  }

  /** Whether an image is left out: every image in a preview; in an answer, a badge or an image by reference (nothing to show). */
  dropsImage(node: SyntaxNode): boolean {
    if (this.preview) return true;
    if (!this.dropBadges) return false;
    const url = node.getChild('URL');
    return !url || BADGE_IMAGE.test(this.slice(url));
  }

  holdsOnlyDroppedImages(node: SyntaxNode, from: number, to: number): boolean {
    let images = 0;
    let at = from;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.to <= from || child.from >= to) continue;
      if (this.source.slice(this.base + at, this.base + child.from).trim()) return false;
      if (child.name !== 'Image' || !this.dropsImage(child)) return false;
      images++;
      at = child.to;
    }
    return images > 0 && !this.source.slice(this.base + at, this.base + to).trim();
  }

  /** `<https://…>` and bare web addresses (GFM): the address is the link's text. */
  autolink(parent: Node, node: SyntaxNode, url: SyntaxNode | null): void {
    if (url) this.text(linkElement(parent, this.slice(url)), this.base + url.from, this.base + url.to);
    else this.text(parent, this.base + node.from, this.base + node.to);
  }

  slice(node: { from: number; to: number }): string {
    return this.source.slice(this.base + node.from, this.base + node.to);
  }
}

function element(parent: Node, tag: string, className?: string): HTMLElement {
  const created = document.createElement(tag);
  if (className) created.className = className;
  (parent as ParentNode).append(created);
  return created;
}

/** A Copy button for one code block: copies the code as written (no [n] markers), then says so for two seconds. */
function copyButton(code: string, language: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'code-copy ghost small';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', language ? `Copy the ${language} code` : 'Copy the code');
  button.addEventListener('click', () => {
    void copyText(code).then((done) => {
      button.textContent = done ? 'Copied' : 'Copy failed';
      setTimeout(() => (button.textContent = 'Copy'), 2000);
    });
  });
  return button;
}

/** Copies text: the Clipboard API, else (an http page on another host) a selected text area. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

/** An <a> for web and mail addresses; anything else (javascript:, relative paths) a plain span. */
function linkElement(parent: Node, address: string): HTMLElement {
  const href = /^www\./i.test(address) ? `https://${address}` : address;
  if (!/^(https?:\/\/|mailto:)/i.test(href)) return element(parent, 'span', 'md-link');
  const link = element(parent, 'a') as HTMLAnchorElement;
  link.href = href;
  link.rel = 'noopener noreferrer';
  link.target = '_blank';
  return link;
}

function decodeEntity(raw: string): string {
  const numeric = /^&#(x[0-9a-f]+|\d+);$/i.exec(raw);
  if (numeric) {
    const code = numeric[1][0].toLowerCase() === 'x' ? parseInt(numeric[1].slice(1), 16) : parseInt(numeric[1], 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  }
  return ENTITIES[raw.slice(1, -1)] ?? raw;
}

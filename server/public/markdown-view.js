// Renders stored text as DOM, Markdown or plain, with one span of the source highlighted.
//
// Safe by construction: every node is made with createElement and every text with text nodes,
// never innerHTML, so HTML written in a document shows as its source text and cannot run.
// Exact by construction: the parser (@lezer/markdown, bundled by the server at /vendor) gives
// every node, including each syntax mark, its source offsets; what is shown is the source
// minus those marks, so each shown character is a character of the source at a known offset.
// The cited span [start, end) is wrapped in <mark> wherever its characters land, split across
// cells, lines and elements as needed. Escapes and entities count as the characters they stand for.
import { GFM, parser as markdownParser } from '/vendor/lezer-markdown.js';

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
const INLINE_ELEMENTS = { Emphasis: 'em', StrongEmphasis: 'strong', Strikethrough: 'del', InlineCode: 'code' };
/** A few named entities; others show as written (numeric ones are always decoded). */
const ENTITIES = {
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
const FRONT_MATTER = /^(---|\+\+\+)[ \t]*\n[\s\S]*?\n(?:\1|\.\.\.)[ \t]*(?:\n|$)/;

/**
 * Renders Markdown into `container` (its children are replaced).
 * options.highlight: {start, end} source offsets to wrap in <mark>;
 * options.headingOffset: added to heading levels (the page's own headings sit above);
 * options.decorateText: (text) => Node[] for shown text (the answer's [n] markers become buttons);
 * options.frontMatter: false when `source` is a later part of a document, which has none.
 * Returns the <mark> elements in document order.
 */
export function renderMarkdown(container, source, options = {}) {
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
export function renderPlainText(container, source, options = {}) {
  const view = new View(source, options);
  const block = document.createElement('div');
  block.className = 'plain-text';
  view.text(block, 0, source.length);
  container.replaceChildren(block);
  return view.marks;
}

class View {
  constructor(source, { highlight = null, headingOffset = 0, decorateText = null }) {
    this.source = source;
    this.highlight = highlight && highlight.end > highlight.start ? highlight : null;
    this.headingOffset = headingOffset;
    this.decorateText = decorateText;
    /** Offset of the parsed part in `source` (after front matter); tree positions are relative to it. */
    this.base = 0;
    this.marks = [];
  }

  /** Shows source[from, to) as it is (absolute offsets), marking the highlighted part. */
  text(parent, from, to) {
    if (to <= from) return;
    const value = this.source.slice(from, to);
    const span = this.highlight;
    if (!span || span.end <= from || span.start >= to) {
      this.append(parent, value);
      return;
    }
    const markFrom = Math.max(from, span.start);
    const markTo = Math.min(to, span.end);
    this.append(parent, this.source.slice(from, markFrom));
    this.append(this.mark(parent), this.source.slice(markFrom, markTo));
    this.append(parent, this.source.slice(markTo, to));
  }

  /** Shows `value` standing for source[from, to) (an escape or entity), marked if the span covers any of it. */
  textFor(parent, value, from, to) {
    const span = this.highlight;
    const marked = span && span.start < to && span.end > from;
    this.append(marked ? this.mark(parent) : parent, value);
  }

  append(parent, value) {
    if (!value) return;
    if (this.decorateText) parent.append(...this.decorateText(value));
    else parent.append(document.createTextNode(value));
  }

  /** The <mark> to put highlighted text in: the one just before, when the span continues it (an escape, an entity). */
  mark(parent) {
    if (parent.lastChild && parent.lastChild === this.marks.at(-1)) return parent.lastChild;
    const mark = element(parent, 'mark');
    this.marks.push(mark);
    return mark;
  }

  /** Children of a block container (document, quote, list item). */
  blocks(parent, node) {
    for (let child = node.firstChild; child; child = child.nextSibling) this.block(parent, child);
  }

  block(parent, node) {
    const name = node.name;
    if (MARKS.has(name)) return;
    const heading = /^(?:ATX|Setext)Heading(\d)$/.exec(name);
    if (heading) {
      const level = Math.min(6, Number(heading[1]) + this.headingOffset);
      this.inline(element(parent, `h${level}`, 'md-heading'), node);
    } else if (name === 'Paragraph' || name === 'Task') {
      this.inline(element(parent, 'p', name === 'Task' ? 'md-task' : undefined), node);
    } else if (name === 'Blockquote') {
      this.blocks(element(parent, 'blockquote'), node);
    } else if (name === 'BulletList' || name === 'OrderedList') {
      const list = element(parent, name === 'BulletList' ? 'ul' : 'ol');
      const first = node.firstChild?.firstChild;
      if (name === 'OrderedList' && first?.name === 'ListMark') {
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
      this.text(element(parent, 'pre', 'md-raw'), this.base + node.from, this.base + node.to);
    } else {
      this.inline(element(parent, 'p'), node);
    }
  }

  /** Code keeps its lines: the code text pieces, and the line breaks between them (indents and `>` left out). */
  code(parent, node) {
    const wrap = element(parent, 'pre', 'md-code');
    const code = element(wrap, 'code');
    const info = node.getChild('CodeInfo');
    if (info) code.dataset.language = this.slice(info);
    let previous = null;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name !== 'CodeText') continue;
      if (previous) {
        for (let at = previous.to; at < child.from; at++) {
          if (this.source[this.base + at] === '\n') this.text(code, this.base + at, this.base + at + 1);
        }
      }
      this.text(code, this.base + child.from, this.base + child.to);
      previous = child;
    }
  }

  table(parent, node) {
    const wrap = element(parent, 'div', 'md-table-wrap');
    const table = element(wrap, 'table');
    let alignments = [];
    let body = null;
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
  cells(row) {
    const slots = [[]];
    for (let child = row.firstChild; child; child = child.nextSibling) {
      if (child.name === 'TableDelimiter') slots.push([]);
      else if (child.name === 'TableCell') slots.at(-1).push(child);
    }
    if (row.firstChild?.name === 'TableDelimiter' && row.firstChild.from === row.from) slots.shift();
    if (row.lastChild?.name === 'TableDelimiter' && slots.at(-1).length === 0) slots.pop();
    return slots.map((slot) => slot[0] ?? null);
  }

  /** Inline content of `node`: the text between its children, and the children themselves. */
  inline(parent, node, from = node.from, to = node.to) {
    let at = from;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.to <= from || child.from >= to) continue;
      this.text(parent, this.base + at, this.base + child.from);
      this.inlineNode(parent, child);
      at = child.to;
    }
    this.text(parent, this.base + at, this.base + to);
  }

  inlineNode(parent, node) {
    const name = node.name;
    if (MARKS.has(name)) return;
    if (INLINE_ELEMENTS[name]) this.inline(element(parent, INLINE_ELEMENTS[name]), node);
    else if (name === 'Link' || name === 'Image') this.link(parent, node);
    else if (name === 'Autolink' || name === 'URL') this.autolink(parent, node, name === 'URL' ? node : node.getChild('URL'));
    else if (name === 'Escape') this.textFor(parent, this.slice(node).slice(1), this.base + node.from, this.base + node.to);
    else if (name === 'Entity') this.textFor(parent, decodeEntity(this.slice(node)), this.base + node.from, this.base + node.to);
    else if (name === 'HardBreak') element(parent, 'br');
    else if (RAW_INLINE.has(name))
      this.text(element(parent, 'span', name === 'TaskMarker' ? 'md-task-marker' : 'md-raw'), this.base + node.from, this.base + node.to);
    else this.inline(parent, node);
  }

  /** `[text](url)`: a link only for http(s) and mailto; images show their text (the page loads nothing). */
  link(parent, node) {
    const url = node.getChild('URL');
    const marks = node.getChildren('LinkMark');
    if (!url || marks.length < 2) {
      // A reference link (`[1]`, `[text][ref]`) is left as written: definitions are not resolved.
      this.text(parent, this.base + node.from, this.base + node.to);
      return;
    }
    const target = node.name === 'Image' ? element(parent, 'span', 'md-image') : linkElement(parent, this.slice(url));
    if (node.name === 'Image') target.title = `Image: ${this.slice(url)}`;
    this.inline(target, node, marks[0].to, marks[1].from);
  }

  /** `<https://…>` and bare web addresses (GFM): the address is the link's text. */
  autolink(parent, node, url) {
    if (url) this.text(linkElement(parent, this.slice(url)), this.base + url.from, this.base + url.to);
    else this.text(parent, this.base + node.from, this.base + node.to);
  }

  slice(node) {
    return this.source.slice(this.base + node.from, this.base + node.to);
  }
}

function element(parent, tag, className) {
  const created = document.createElement(tag);
  if (className) created.className = className;
  parent.append(created);
  return created;
}

/** An <a> for web and mail addresses; anything else (javascript:, relative paths) a plain span. */
function linkElement(parent, address) {
  const href = /^www\./i.test(address) ? `https://${address}` : address;
  if (!/^(https?:\/\/|mailto:)/i.test(href)) return element(parent, 'span', 'md-link');
  const link = element(parent, 'a');
  link.href = href;
  link.rel = 'noopener noreferrer';
  link.target = '_blank';
  return link;
}

function decodeEntity(raw) {
  const numeric = /^&#(x[0-9a-f]+|\d+);$/i.exec(raw);
  if (numeric) {
    const code = numeric[1][0].toLowerCase() === 'x' ? parseInt(numeric[1].slice(1), 16) : parseInt(numeric[1], 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  }
  return ENTITIES[raw.slice(1, -1)] ?? raw;
}

/** The headings of a Markdown text, in order: [{level, text}] (text without its inline marks). */
export function markdownHeadings(source) {
  const headings = [];
  const matter = FRONT_MATTER.exec(source);
  const body = matter ? source.slice(matter[0].length) : source;
  const tree = parser.parse(body);
  for (let node = tree.topNode.firstChild; node; node = node.nextSibling) {
    const heading = /^(?:ATX|Setext)Heading(\d)$/.exec(node.name);
    if (!heading) continue;
    let text = '';
    let at = node.from;
    tree.iterate({
      from: node.from,
      to: node.to,
      enter: (inner) => {
        if (!MARKS.has(inner.name) || inner.from < at) return;
        text += body.slice(at, inner.from);
        at = inner.to;
      },
    });
    text += body.slice(at, node.to);
    headings.push({ level: Number(heading[1]), text: text.replace(/\s+/g, ' ').trim() });
  }
  return headings;
}

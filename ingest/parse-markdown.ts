import type { ListItem, Nodes, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import { parse as parseYaml } from 'yaml';
import type { Block, BlockKind } from '../core/contracts/types.js';
import { HeadingTrail } from './heading-trail.js';
import { firstHtmlHeading } from './parse-html.js';

/** A Markdown document's blocks, over its raw (normalised) text, and its title candidates. */
export interface ParsedMarkdown {
  blocks: Block[];
  /** The front matter's title, then the first level-1 heading, when present. */
  titles: string[];
}

const MATTER = ['yaml', 'toml'] as const;

/**
 * Parses Markdown (CommonMark + GFM tables, task lists and footnotes, YAML or TOML front matter)
 * with micromark into blocks with exact offsets into `text`: headings (ATX, setext, and HTML
 * h1-h6 as READMEs write them), paragraphs, list items (an item's own text, its nested items
 * as blocks of their own), code, table rows, quotes, raw HTML and front matter.
 */
export function parseMarkdown(text: string): ParsedMarkdown {
  const tree = fromMarkdown(text, {
    extensions: [frontmatter([...MATTER]), gfm()],
    mdastExtensions: [frontmatterFromMarkdown([...MATTER]), gfmFromMarkdown()],
  });
  const collector = new BlockCollector(text);
  collector.visit(tree.children, 0);
  return { blocks: collector.blocks, titles: [collector.matterTitle, collector.firstTopHeading].filter((t): t is string => !!t) };
}

class BlockCollector {
  readonly blocks: Block[] = [];
  matterTitle: string | undefined;
  firstTopHeading: string | undefined;
  private readonly headings = new HeadingTrail();

  constructor(private readonly text: string) {}

  visit(nodes: RootContent[], listDepth: number): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'heading':
          // Without images' alt text: a README's `# name [![Build Status](…)](…)` is titled "name".
          this.heading(node, node.depth, collapse(toString(node, { includeHtml: false, includeImageAlt: false })));
          break;
        case 'html': {
          const heading = firstHtmlHeading(node.value);
          if (heading) this.heading(node, heading.depth, heading.text);
          else this.add('html', node);
          break;
        }
        case 'list':
          for (const item of node.children) this.listItem(item, listDepth + 1);
          break;
        case 'table':
          for (const row of node.children) this.add('table-row', row);
          break;
        case 'code':
          this.add('code', node);
          break;
        case 'blockquote':
          this.add('quote', node);
          break;
        case 'yaml':
          this.matterTitle ??= matterTitle('yaml', node.value);
          this.add('front-matter', node);
          break;
        case 'thematicBreak':
          break;
        default:
          // mdast's types know YAML front matter only; the TOML extension adds nodes of type "toml".
          if ((node.type as string) === 'toml') {
            this.matterTitle ??= matterTitle('toml', (node as { value?: string }).value ?? '');
            this.add('front-matter', node);
          } else {
            // Paragraphs, link definitions, footnote definitions: text as written.
            this.add('paragraph', node);
          }
      }
    }
  }

  private heading(node: Nodes, depth: number, text: string): void {
    if (text) {
      if (depth === 1) this.firstTopHeading ??= text;
      this.headings.enter(depth, text);
    }
    this.add('heading', node, depth);
  }

  /** An item's own text (from its marker) is one block; each nested list's items are their own. */
  private listItem(item: ListItem, depth: number): void {
    let start = offsets(item)[0];
    let end = start;
    for (const child of item.children) {
      if (child.type === 'list') {
        this.addRange('list-item', start, end, depth);
        this.visit([child], depth);
        start = end = offsets(child)[1];
      } else {
        end = offsets(child)[1];
      }
    }
    this.addRange('list-item', start, item.children.length === 0 ? offsets(item)[1] : end, depth);
  }

  private add(kind: BlockKind, node: Nodes, depth?: number): void {
    const [start, end] = offsets(node);
    this.addRange(kind, start, end, depth);
  }

  /** Adds a block over `[start, end)` trimmed of surrounding whitespace, unless nothing is left. */
  private addRange(kind: BlockKind, start: number, end: number, depth?: number): void {
    while (start < end && /\s/.test(this.text[start])) start++;
    while (end > start && /\s/.test(this.text[end - 1])) end--;
    if (end <= start) return;
    this.blocks.push({ kind, start, end, headingPath: this.headings.path(), page: null, ...(depth ? { depth } : {}) });
  }
}

function offsets(node: Nodes): [number, number] {
  return [node.position?.start.offset ?? 0, node.position?.end.offset ?? 0];
}

/** The `title` of YAML front matter, or of TOML's `title = "..."`; undefined when absent or unreadable. */
function matterTitle(type: 'yaml' | 'toml', value: string): string | undefined {
  if (type === 'toml') return collapse(/^title\s*=\s*["'](.*)["']\s*$/m.exec(value)?.[1] ?? '') || undefined;
  try {
    const data: unknown = parseYaml(value);
    const title = data && typeof data === 'object' ? (data as Record<string, unknown>).title : undefined;
    return typeof title === 'string' ? collapse(title) || undefined : undefined;
  } catch {
    return undefined;
  }
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

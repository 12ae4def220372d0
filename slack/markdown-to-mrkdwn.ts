import type { Definition, Nodes, Parents, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

// Written here rather than taken from slackify-markdown (5.0.0, the maintained converter), which was
// tried first: it passes `<`, `>` and `&` inside code and raw HTML to Slack unescaped, and keeps
// `<!channel>` and `<@U…>` as written by design, so a quoted document could ping a channel; it
// also requires Node 22. Text from sources must be escaped everywhere, so this walks the same mdast
// tree ingest already parses with (mdast-util-from-markdown + GFM) and writes Slack's mrkdwn.

/** Slack's control characters, escaped as its formatting rules require, in every text (code too). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Markdown as Slack mrkdwn: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, fences without their
 * language, links as `<url|text>` (web and mail addresses only), `•` and numbered lists, quotes,
 * headings as bold lines, table rows as cells between `|`; HTML tags and comments left out, their
 * text kept; `&`, `<` and `>` escaped everywhere.
 */
export function markdownToMrkdwn(markdown: string): string {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const definitions = new Map<string, Definition>();
  collectDefinitions(tree, definitions);
  return new MrkdwnWriter(definitions)
    .blocks(tree.children, '\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>): void {
  if (node.type === 'definition') into.set(node.identifier.toLowerCase(), node);
  if ('children' in node) for (const child of node.children) collectDefinitions(child, into);
}

class MrkdwnWriter {
  constructor(private readonly definitions: Map<string, Definition>) {}

  blocks(nodes: RootContent[], separator: string): string {
    return nodes
      .map((node) => this.block(node))
      .filter((text) => text !== '')
      .join(separator);
  }

  private block(node: RootContent): string {
    switch (node.type) {
      case 'paragraph':
        return this.inline(node);
      case 'heading':
        return emphasize(this.inline(node), '*');
      case 'code':
        return `\`\`\`\n${escapeMrkdwn(node.value)}\n\`\`\``;
      case 'blockquote':
        return this.blocks(node.children, '\n\n')
          .split('\n')
          .map((line) => `> ${line}`)
          .join('\n');
      case 'list':
        return node.children
          .map((item, i) => {
            const marker = node.ordered ? `${(node.start ?? 1) + i}.` : '•';
            const body = this.blocks(item.children, '\n');
            return `${marker} ${body.replace(/\n/g, '\n    ')}`;
          })
          .join('\n');
      case 'table':
        return node.children.map((row) => row.children.map((cell) => this.inline(cell).trim()).join(' | ')).join('\n');
      case 'html':
        return escapeMrkdwn(withoutTags(node.value)).trim();
      case 'thematicBreak':
        return '———';
      case 'definition':
        return '';
      default:
        return this.inline(node);
    }
  }

  /** The inline content of a node (its children), or the node itself when it is inline. */
  private inline(node: Nodes): string {
    switch (node.type) {
      case 'text':
        return escapeMrkdwn(node.value);
      case 'inlineCode':
        return `\`${escapeMrkdwn(node.value)}\``;
      case 'strong':
        return emphasize(this.children(node), '*');
      case 'emphasis':
        return emphasize(this.children(node), '_');
      case 'delete':
        return emphasize(this.children(node), '~');
      case 'break':
        return '\n';
      case 'html':
        return escapeMrkdwn(withoutTags(node.value));
      case 'link':
        return link(node.url, this.children(node));
      case 'image':
        return escapeMrkdwn(node.alt ?? '');
      case 'linkReference': {
        const definition = this.definitions.get(node.identifier.toLowerCase());
        const text = this.children(node);
        return definition ? link(definition.url, text) : text;
      }
      case 'imageReference':
        return escapeMrkdwn(node.alt ?? '');
      case 'footnoteReference':
        return `[${escapeMrkdwn(node.label ?? node.identifier)}]`;
      default:
        return 'children' in node ? this.children(node) : 'value' in node ? escapeMrkdwn(String(node.value)) : '';
    }
  }

  private children(node: Parents): string {
    return node.children.map((child) => this.inline(child)).join('');
  }
}

/** `*text*`: Slack formats only when the marks touch the text, so surrounding spaces go outside them. */
function emphasize(text: string, mark: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  return match[2] ? `${match[1]}${mark}${match[2]}${mark}${match[3]}` : text;
}

/** `<url|text>` for web and mail addresses; any other target (relative, javascript:) leaves the text alone. */
function link(url: string, text: string): string {
  if (!/^(https?:\/\/|mailto:)/i.test(url)) return text;
  const address = escapeMrkdwn(url).replace(/\|/g, '%7C');
  // A `|` ends the link's text early in Slack, and cannot be escaped there.
  const label = text.replace(/\|/g, '∣');
  return label && label !== escapeMrkdwn(url) ? `<${address}|${label}>` : `<${address}>`;
}

function withoutTags(html: string): string {
  return html.replace(/<!--[\s\S]*?(-->|$)/g, '').replace(/<\/?[a-zA-Z][^>]*>/g, '');
}

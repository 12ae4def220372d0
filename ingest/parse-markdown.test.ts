import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../core/text/normalize-text.js';
import { PACKAGE_READMES, STRUCTURED_DOCS } from '../test/paths.js';
import { parseMarkdown } from './parse-markdown.js';

const read = (path: string) => normalizeText(readFileSync(`${STRUCTURED_DOCS}/${path}`, 'utf8'));

/** Each block as [kind, its exact text, its heading path], to compare whole documents at once. */
function described(text: string) {
  return parseMarkdown(text).blocks.map((block) => [block.kind, text.slice(block.start, block.end), block.headingPath.join(' › ')]);
}

describe('parseMarkdown', () => {
  it('gives every block of a real document its kind, exact source text and heading path', () => {
    expect(described(read('handbook/deploy.md'))).toEqual([
      ['front-matter', '---\ntitle: Deploying the Harbour API\ntags: [ops, deploy]\n---', ''],
      ['heading', '# Deployment', 'Deployment'],
      ['paragraph', 'The Harbour API runs as one Node.js process behind a reverse proxy.', 'Deployment'],
      ['heading', '## Configuration', 'Deployment › Configuration'],
      ['heading', '### `port` (number)', 'Deployment › Configuration › port (number)'],
      ['paragraph', 'The port to listen on. Defaults to `8080`.', 'Deployment › Configuration › port (number)'],
      [
        'code',
        "```js\nconst server = createServer({\n  port: 8080,\n\n  host: '0.0.0.0',\n});\n```",
        'Deployment › Configuration › port (number)',
      ],
      ['heading', '### Environment', 'Deployment › Configuration › Environment'],
      ['table-row', '| variable | default | meaning |', 'Deployment › Configuration › Environment'],
      ['table-row', '| `HARBOUR_PORT` | `8080` | port to listen on |', 'Deployment › Configuration › Environment'],
      ['table-row', '| `HARBOUR_LOG` | `info` | log level |', 'Deployment › Configuration › Environment'],
      ['heading', '## Checklist', 'Deployment › Checklist'],
      ['list-item', '1. Build the image.', 'Deployment › Checklist'],
      ['list-item', '2. Run the migrations:', 'Deployment › Checklist'],
      ['list-item', '- `npm run migrate`', 'Deployment › Checklist'],
      ['list-item', '- `npm run seed` (first deploy only)', 'Deployment › Checklist'],
      ['list-item', '3. Start the service.', 'Deployment › Checklist'],
      ['quote', '> Never deploy on a Friday afternoon.', 'Deployment › Checklist'],
    ]);
  });

  it('knows heading levels and list nesting, and keeps blocks in order without overlap', () => {
    const { blocks } = parseMarkdown(read('handbook/deploy.md'));
    expect(blocks.filter((b) => b.kind === 'heading').map((b) => b.depth)).toEqual([1, 2, 3, 3, 2]);
    expect(blocks.filter((b) => b.kind === 'list-item').map((b) => b.depth)).toEqual([1, 1, 2, 2, 1]);
    blocks.slice(1).forEach((block, i) => expect(block.start).toBeGreaterThanOrEqual(blocks[i].end));
    expect(blocks.every((block) => block.page === null)).toBe(true);
  });

  it('takes the title from front matter first, then the first level-1 heading', () => {
    expect(parseMarkdown(read('handbook/deploy.md')).titles).toEqual(['Deploying the Harbour API', 'Deployment']);
    expect(parseMarkdown('+++\ntitle = "Tide Notes"\n+++\n\n# Tides').titles).toEqual(['Tide Notes', 'Tides']);
    expect(parseMarkdown('## Only a section\n\nText.').titles).toEqual([]);
  });

  it('reads HTML headings as READMEs write them, and setext headings', () => {
    const text = read('handbook/README.md');
    expect(described(text)).toEqual([
      ['heading', '<h1 align="center">\n  <code>harbour</code>\n</h1>', 'harbour'],
      ['paragraph', 'Tools for running the harbour office.', 'harbour'],
      ['heading', 'Overview\n========', 'Overview'],
      ['paragraph', 'The office opens at 7am.', 'Overview'],
    ]);
    expect(parseMarkdown(text).titles).toEqual(['harbour']);
  });

  it('keeps raw HTML that is not a heading as an html block, and survives unreadable front matter', () => {
    const text = '---\ntitle: [unclosed\n---\n\n<p align="center"><img src="logo.png"></p>\n\nBody text.';
    expect(described(text).map(([kind]) => kind)).toEqual(['front-matter', 'html', 'paragraph']);
    expect(parseMarkdown(text).titles).toEqual([]);
  });

  it("titles and heading paths of published READMEs carry no badge's alt text and no entity", () => {
    const readme = (name: string) => parseMarkdown(normalizeText(readFileSync(`${PACKAGE_READMES}/${name}/README.md`, 'utf8')));
    const headings = (name: string) =>
      readme(name)
        .blocks.filter((block) => block.kind === 'heading')
        .map((block) => block.headingPath.join(' › '));
    expect(readme('quickmux').titles).toEqual(['quickmux']);
    expect(headings('quickmux')).toEqual([
      'quickmux',
      'quickmux › Installation',
      'quickmux › Features 💪',
      'quickmux › API',
      'quickmux › API › quickmux(options)',
      'quickmux › API › router.get(path, handler)',
      'quickmux › API › router.lookup(req, res)',
      'quickmux › Sponsors',
      'quickmux › Changelog',
      'quickmux › License',
    ]);
    expect(readme('tinyqueue').titles).toEqual(['tinyqueue']);
    expect(headings('tinyqueue')).toContain('tinyqueue › Donate ☕');
    expect(readme('lumen-cache').titles).toEqual(['lumen-cache']);
    expect(headings('lumen-cache')).toContain('lumen-cache › Usage');
  });
});

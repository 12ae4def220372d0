import { describePlace } from '../core/chunks/describe-place.js';
import type { Answer, SourcePlace } from '../core/contracts/types.js';
import { escapeMrkdwn, markdownToMrkdwn } from './markdown-to-mrkdwn.js';

/** A Slack message: a plain-text fallback and Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/** Slack's limits: 3,000 characters in a section's text, 50 blocks in a message. */
const SECTION_LIMIT = 3000;
const MAX_CITATIONS = 10;
const MAX_CLOSEST = 3;
const CLOSEST_CHARS = 280;
const MARKDOWN_FILE = /\.(md|markdown|mdx)$/i;

/**
 * Renders an Answer for Slack: the answer in mrkdwn, each cited quote with its source's name and
 * place (path › headings, or page), or a clear "not in the sources" with the closest passages.
 * Same text and citations as every other surface, within Block Kit's limits. Markdown (the answer,
 * and quotes and passages of Markdown documents) is converted to mrkdwn; other text is escaped.
 */
export function renderSlack(answer: Answer): SlackMessage {
  const blocks: Record<string, unknown>[] = [];
  if (answer.answerable) {
    blocks.push(section(markdownToMrkdwn(answer.answer)));
    if (answer.citations.length > 0) blocks.push({ type: 'divider' });
    for (const citation of answer.citations.slice(0, MAX_CITATIONS)) {
      blocks.push(section(`*[${citation.n}]* ${source(citation.title, citation, citation.link)}\n${quote(citation.quote, citation.path)}`));
    }
  } else {
    blocks.push(section(`:warning: *Not in the sources.* ${escapeMrkdwn(answer.reason ?? '')}`));
    const closest = distinctPlaces(answer.passages).slice(0, MAX_CLOSEST);
    if (closest.length > 0) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '*Closest passages:*' }] });
      for (const passage of closest) {
        blocks.push(
          section(`${source(passage.title, passage, passage.url)}\n${quote(shorten(passage.text, CLOSEST_CHARS), passage.path)}`),
        );
      }
    }
  }
  if (answer.notice) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(answer.notice) }] });
  // The fallback (notifications, clients without blocks) is mrkdwn too.
  const text = answer.answerable ? markdownToMrkdwn(answer.answer) : escapeMrkdwn(`Not in the sources. ${answer.reason ?? ''}`.trim());
  return { text: shorten(text, SECTION_LIMIT), blocks };
}

/**
 * A source as a reader finds it: its title, then where in which file (`express/README.md › Options › port`),
 * without the title again where the first heading repeats it. A crawled page's title links to it
 * (a citation's link lands on the quote).
 */
function source(title: string, place: SourcePlace, link: string | null): string {
  const headingPath = sameText(place.headingPath[0] ?? '', title) ? place.headingPath.slice(1) : place.headingPath;
  const name = link ? `<${slackUrl(link)}|${escapeMrkdwn(title)}>` : escapeMrkdwn(title);
  return `_${name}_ · ${escapeMrkdwn(describePlace({ ...place, headingPath }))}`;
}

/**
 * A URL inside Slack's `<url|text>`: the characters that would end it or its text percent-encoded,
 * `&` written `&amp;` as Slack reads it anywhere in mrkdwn (as the answer's Markdown links are).
 */
function slackUrl(url: string): string {
  return url.replace(/[|<>]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`).replace(/&/g, '&amp;');
}

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** One passage per place (document, page, headings): several chunks of one section read as one source. */
function distinctPlaces<T extends SourcePlace & { docId: string }>(passages: T[]): T[] {
  const seen = new Set<string>();
  return passages.filter((passage) => {
    const key = JSON.stringify([passage.docId, passage.page, passage.headingPath]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: shorten(text, SECTION_LIMIT) } };
}

/** A quote from a source as a Slack quote: Markdown documents rendered, other text as written. */
function quote(text: string, path: string): string {
  return (MARKDOWN_FILE.test(path) ? markdownToMrkdwn(text) : escapeMrkdwn(text))
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

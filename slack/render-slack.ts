import { describePlace } from '../core/chunks/describe-place.js';
import type { Answer, SourcePlace } from '../core/contracts/types.js';

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

/**
 * Renders an Answer for Slack: the answer in mrkdwn, each cited quote with its source's name and
 * place (path › headings, or page), or a clear "not in the sources" with the closest passages.
 * Same text and citations as every other surface, within Block Kit's limits.
 */
export function renderSlack(answer: Answer): SlackMessage {
  const blocks: Record<string, unknown>[] = [];
  if (answer.answerable) {
    blocks.push(section(escapeMrkdwn(answer.answer)));
    if (answer.citations.length > 0) blocks.push({ type: 'divider' });
    for (const citation of answer.citations.slice(0, MAX_CITATIONS)) {
      blocks.push(section(`*[${citation.n}]* ${source(citation.title, citation)}\n${quote(citation.quote)}`));
    }
  } else {
    blocks.push(section(`:warning: *Not in the sources.* ${escapeMrkdwn(answer.reason ?? '')}`));
    const closest = answer.passages.slice(0, MAX_CLOSEST);
    if (closest.length > 0) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '*Closest passages:*' }] });
      for (const passage of closest) {
        blocks.push(section(`${source(passage.title, passage)}\n${quote(shorten(passage.text, CLOSEST_CHARS))}`));
      }
    }
  }
  if (answer.notice) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(answer.notice) }] });
  const text = answer.answerable ? answer.answer : `Not in the sources. ${answer.reason ?? ''}`.trim();
  return { text: shorten(text, SECTION_LIMIT), blocks };
}

/** A source as a reader finds it: its title, then where in which file (`express/README.md › Options › port`). */
function source(title: string, place: SourcePlace): string {
  return `_${escapeMrkdwn(title)}_ · ${escapeMrkdwn(describePlace(place))}`;
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: shorten(text, SECTION_LIMIT) } };
}

function quote(text: string): string {
  return escapeMrkdwn(text)
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** Slack needs &, < and > escaped in mrkdwn; nothing else is interpreted as markup here. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shorten(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

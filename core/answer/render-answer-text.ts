import { describePlace } from '../chunks/describe-place.js';
import type { Answer, Citation, Passage } from '../contracts/types.js';

const CLOSEST_PASSAGES = 3;
const CLOSEST_CHARS = 240;

/**
 * Where a citation or passage points, for people: its path, then the page and the heading
 * breadcrumb when known ("handbook/setup.md › Install › Linux", "report.pdf › page 4").
 */
export function describeLocation(span: Citation | Passage): string {
  return describePlace(span);
}

/**
 * The Answer as plain text: the answer with its [n] markers, then each numbered citation with
 * its location, character offsets, link to the quote on its page (a crawled document) and exact
 * quote; on a refusal, the reason's answer text and
 * the closest passages. The terminal (`npm run ask`) and MCP's readable tool result share it.
 */
export function renderAnswerText(answer: Answer): string {
  const lines = [answer.answer];
  if (answer.notice) lines.push('', `Note: ${answer.notice}`);
  if (answer.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const citation of answer.citations) {
      lines.push(
        `[${citation.n}] ${describeLocation(citation)} (characters ${citation.start}–${citation.end})`,
        ...(citation.link ? [indent(citation.link)] : []),
        indent(`“${citation.quote}”`),
      );
    }
  }
  if (!answer.answerable && answer.passages.length > 0) {
    lines.push('', 'Closest passages:');
    for (const passage of answer.passages.slice(0, CLOSEST_PASSAGES)) {
      lines.push(
        `- ${describeLocation(passage)} (characters ${passage.start}–${passage.end})`,
        ...(passage.url ? [indent(passage.url)] : []),
        indent(shorten(passage.text)),
      );
    }
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= CLOSEST_CHARS ? flat : `${flat.slice(0, CLOSEST_CHARS - 1).trimEnd()}…`;
}

import type { ScoredUnit } from '../units/score-units.js';
import type { CitationDraft } from '../contracts/types.js';

/** Answer text quoting the units, with one citation per quoted span (not yet verified). */
export interface ComposedAnswer {
  answer: string;
  citations: CitationDraft[];
}

/**
 * Quotes the units in order, each span verbatim and followed by its `[n]` marker. Prose reads
 * as one paragraph; when any unit is a block (code, table row, list item) units go on lines of
 * their own so the answer renders as Markdown.
 */
export function composeAnswer(units: ScoredUnit[]): ComposedAnswer {
  const citations: CitationDraft[] = [];
  const parts = units.map((unit) => {
    const markers = unit.spans.map((span) => {
      citations.push({
        n: citations.length + 1,
        docId: unit.passage.docId,
        title: unit.passage.title,
        chunkId: unit.passage.chunkId,
        start: span.start,
        end: span.end,
        quote: span.text,
        verified: false,
      });
      return `[${citations.length}]`;
    });
    return renderUnit(unit, markers);
  });
  const blocks = units.some((unit) => unit.kind !== 'sentence' || unit.spans.length > 1);
  return { answer: parts.join(blocks ? '\n\n' : ' '), citations };
}

/**
 * A unit as answer text, each marker on the line it cites. Leading spans (a sentence
 * introducing code) read as lines of their own. Code is fenced, its marker on the line right
 * after the fence; a table row follows its header, each marker inside its row's last cell, so
 * both render as Markdown. A heading the unit is about is shown as its label, not quoted as a
 * line of its own. Table padding is collapsed for display (the citations keep the exact text).
 */
function renderUnit(unit: ScoredUnit, markers: string[]): string {
  const own = unit.spans.at(-1)!;
  const leadCount = unit.kind === 'table-row' ? unit.spans.length - 2 : unit.spans.length - 1;
  const leads = unit.spans.slice(0, leadCount).map((span, i) => `${span.text} ${markers[i]}`);
  let body: string;
  if (unit.kind === 'code') {
    body = `\`\`\`${unit.language ?? ''}\n${own.text}\n\`\`\`\n${markers.at(-1)}`;
  } else if (unit.kind === 'table-row') {
    const header = unit.spans.at(-2)!;
    const [headerLine, ...separator] = tableHeader(header.text).split('\n');
    body = [inLastCell(headerLine, markers.at(-2)!), ...separator, inLastCell(collapseTable(own.text), markers.at(-1)!)].join('\n');
  } else {
    body = `${own.text} ${markers.at(-1)}`;
  }
  const label = unit.label ? `**${unit.label}**` : '';
  if (label && unit.kind === 'sentence' && leadCount === 0) return `${label}: ${body}`;
  const lines = [...(label ? [label] : []), ...leads, body];
  return lines.join(unit.kind === 'sentence' && leadCount === 0 ? ' ' : '\n\n');
}

/** A table line with `text` at the end of its last cell (a row written without outer pipes gets it at its end). */
function inLastCell(line: string, text: string): string {
  const trimmed = line.trimEnd();
  return trimmed.endsWith('|') ? `${trimmed.slice(0, -1).trimEnd()} ${text} |` : `${trimmed} ${text}`;
}

/**
 * A table's header as Markdown: as written, or, for a table read from HTML (one line, no
 * separator), followed by the separator line Markdown needs to render it as a table.
 */
function tableHeader(text: string): string {
  if (text.includes('\n')) return collapseTable(text);
  const columns = text.split('|').filter((cell, i, all) => cell.trim() !== '' || (i > 0 && i < all.length - 1)).length;
  const separator = Array(columns).fill('---').join(' | ');
  // The separator takes the header's style: outer pipes when the header has them.
  return `${collapseTable(text)}\n${text.trim().startsWith('|') ? `| ${separator} |` : separator}`;
}

/** A Markdown table line without its alignment padding. */
function collapseTable(text: string): string {
  return text.replace(/[ \t]{2,}/g, ' ').replace(/-{3,}/g, '---');
}

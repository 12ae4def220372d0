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
 * A unit as answer text. Leading spans (a heading, a sentence introducing code) read as lines
 * of their own. Code is fenced and a table row follows its header, so both render as Markdown;
 * their markers go on a line of their own, where they cannot break the block. Table padding
 * is collapsed for display (the citations keep the exact source text).
 */
function renderUnit(unit: ScoredUnit, markers: string[]): string {
  const own = unit.spans.at(-1)!;
  const leadCount = unit.kind === 'table-row' ? unit.spans.length - 2 : unit.spans.length - 1;
  const leads = unit.spans.slice(0, leadCount).map((span, i) => `${span.text} ${markers[i]}`);
  let body: string;
  if (unit.kind === 'code') {
    body = `\`\`\`${unit.language ?? ''}\n${own.text}\n\`\`\`\n\n${markers.at(-1)}`;
  } else if (unit.kind === 'table-row') {
    const header = unit.spans.at(-2)!;
    body = `${tableHeader(header.text)}\n${collapseTable(own.text)}\n\n${markers.slice(-2).join(' ')}`;
  } else {
    body = `${own.text} ${markers.at(-1)}`;
  }
  return [...leads, body].join(unit.kind === 'sentence' && leadCount === 0 ? ' ' : '\n\n');
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

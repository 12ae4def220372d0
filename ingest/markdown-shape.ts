/** How deeply a Markdown file nests and how many table rows it holds, as far as the scan went. */
export interface MarkdownShape {
  /** The most containers (block quotes and list items) one line sits in. */
  depth: number;
  /** Rows of every GFM table, all together (delimiter rows not counted). */
  tableRows: number;
}

/** A table's delimiter row: `|---|:--:|`, `--- | ---` (at least one pipe or two cells). */
const DELIMITER_ROW = /^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$|^\|\s*:?-+:?\s*\|?\s*$/;
/** A list marker at the start of what is left of a line: `-`, `+`, `*`, `1.` or `1)`, then a space or the end. */
const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;

/**
 * Scans Markdown line by line, in one pass and constant memory a line, for what makes micromark
 * slow or hungry before it is run: container nesting (its work grows with lines × depth, so 100 kB
 * of nested `>` takes minutes) and table rows (each costs kilobytes of tree). The estimate errs
 * deep: list markers and quote marks on a line count whether or not a code block holds them.
 * Stops once past `stopAt` (either measure), since the caller only needs to know it is over.
 */
export function markdownShape(text: string, stopAt: MarkdownShape): MarkdownShape {
  let depth = 0;
  let tableRows = 0;
  // Content columns of the list items still open above the current line, innermost last.
  const open: number[] = [];
  let inTable = false;
  let previous = '';
  for (let from = 0; from <= text.length;) {
    const newline = text.indexOf('\n', from);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(from, end);
    from = end + 1;
    if (line.trim() === '') {
      inTable = false;
      previous = '';
      continue;
    }
    const indent = line.length - line.trimStart().length;
    while (open.length > 0 && open[open.length - 1] > indent) open.pop();
    let lineDepth = open.length;
    // Quote marks and list markers at the start of the line each open one more container.
    let position = indent;
    for (;;) {
      while (line[position] === ' ' || line[position] === '\t') position++;
      if (line[position] === '>') {
        lineDepth++;
        position++;
        continue;
      }
      const marker = LIST_MARKER.exec(line.slice(position, position + 11));
      if (!marker) break;
      lineDepth++;
      position += marker[0].length;
      open.push(position + 1);
    }
    depth = Math.max(depth, lineDepth);
    const content = line.slice(position).trim();
    if (inTable) tableRows++;
    else if (DELIMITER_ROW.test(content) && previous.includes('|')) inTable = true;
    previous = content;
    if (depth > stopAt.depth || tableRows > stopAt.tableRows) break;
  }
  return { depth, tableRows };
}

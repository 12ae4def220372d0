/**
 * A term of core's analyser as the database stores it. Terms are letters and digits, a few with
 * an apostrophe (`o'neil`); Postgres's text parser would split those in two, so the apostrophe
 * becomes a run of letters and digits it keeps inside one word. Both the stored fields and the
 * queries are encoded the same way, so they match exactly.
 */
export function encodeTerm(term: string): string {
  return term.includes("'") ? term.replaceAll("'", '0apos0') : term;
}

/** A term as a quoted lexeme of tsvector/tsquery input: taken as written, never parsed or stemmed again. */
export function quoteLexeme(term: string): string {
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

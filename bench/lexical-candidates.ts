import Database from 'better-sqlite3';
import { HEADING_FIELD_BOOST } from '../core/chunks/heading-field.js';
import { contentTerms } from '../core/text/tokenize.js';
import { percentile } from '../eval/metrics.js';
import { buildLexicalIndex } from '../store/lexical/build-lexical-index.js';
import { searchLexicalIndex } from '../store/lexical/search-lexical-index.js';
import { buildOldLexical, searchOldLexical } from './old-engine.js';

/** Chunks' text and heading fields, as the index holds them. */
export interface CandidateFields {
  text: string[];
  heading: string[];
}

/** One candidate lexical engine over the same chunks. */
export interface CandidateRow {
  corpus: string;
  chunks: number;
  engine: string;
  buildSeconds: number;
  p50: number;
  p95: number;
  p99: number;
  /** Share of queries whose top 10 is the same set of chunks as the reference engine's (minisearch). */
  sameTop10: number;
}

interface Candidate {
  engine: string;
  build: (fields: CandidateFields) => unknown;
  search: (built: unknown, terms: string[]) => number[];
}

/** Analysed query terms at equal weight, as each engine takes them. */
const unweighted = (terms: string[]) => terms.map((term) => ({ term, weight: 1 }));

const CANDIDATES: Candidate[] = [
  {
    engine: 'minisearch (old engine, the reference ranking)',
    build: (fields) => buildOldLexical(fields),
    search: (built, terms) => searchOldLexical(built as ReturnType<typeof buildOldLexical>, unweighted(terms), 10).map((hit) => hit.chunk),
  },
  {
    engine: 'compact postings + MaxScore (new engine)',
    build: (fields) => buildLexicalIndex(fields),
    search: (built, terms) =>
      searchLexicalIndex(built as ReturnType<typeof buildLexicalIndex>, unweighted(terms), 10).map((hit) => hit.chunk),
  },
  {
    // Our analysed terms stored as the columns' text, so FTS5 matches exactly our stems, the heading
    // column weighted as our boost; its bm25() is its own (document length in terms, not distinct
    // tokens, no match-count factor, no per-term weights).
    engine: 'SQLite FTS5 (better-sqlite3 12), bm25() rank',
    build: ({ text, heading }) => {
      const db = new Database(':memory:');
      db.exec(`CREATE VIRTUAL TABLE chunks USING fts5(terms, heading, tokenize = 'unicode61 remove_diacritics 0')`);
      const insert = db.prepare('INSERT INTO chunks(rowid, terms, heading) VALUES (?, ?, ?)');
      const analysed = (value: string) => contentTerms(value).map(ftsToken).join(' ');
      db.transaction(() => text.forEach((value, i) => insert.run(i, analysed(value), analysed(heading[i]))))();
      db.exec(`INSERT INTO chunks(chunks) VALUES ('optimize')`);
      return db.prepare(`SELECT rowid FROM chunks WHERE chunks MATCH ? ORDER BY bm25(chunks, 1.0, ${HEADING_FIELD_BOOST}) LIMIT 10`);
    },
    search: (built, terms) =>
      terms.length === 0
        ? []
        : (built as Database.Statement)
            .all([...new Set(terms)].map((t) => `"${ftsToken(t)}"`).join(' OR '))
            .map((row) => (row as { rowid: number }).rowid),
  },
];

/** Builds each candidate over the same chunks' fields and times the same queries (analysed terms). */
export function compareLexicalCandidates(
  corpus: string,
  fields: CandidateFields,
  queries: string[],
  log: (line: string) => void,
): CandidateRow[] {
  const analysed = queries.map((q) => contentTerms(q));
  let reference: number[][] = [];
  return CANDIDATES.map((candidate, c) => {
    log(`lexical candidates (${corpus}, ${fields.text.length} chunks): ${candidate.engine}`);
    const started = performance.now();
    const built = candidate.build(fields);
    const buildSeconds = Math.round((performance.now() - started) / 10) / 100;
    const samples: number[] = [];
    const results = analysed.map((terms) => {
      const begun = performance.now();
      const found = candidate.search(built, terms);
      samples.push(performance.now() - begun);
      return found;
    });
    if (c === 0) reference = results;
    const same = results.filter((found, q) => sameSet(found, reference[q])).length;
    const sorted = samples.sort((a, b) => a - b);
    const round = (v: number | null) => Math.round((v ?? 0) * 1000) / 1000;
    return {
      corpus,
      chunks: fields.text.length,
      engine: candidate.engine,
      buildSeconds,
      p50: round(percentile(sorted, 0.5)),
      p95: round(percentile(sorted, 0.95)),
      p99: round(percentile(sorted, 0.99)),
      sameTop10: Math.round((same / queries.length) * 1000) / 1000,
    };
  });
}

/** unicode61 splits at apostrophes; our terms keep them ("o'neil"), so they are spelled out. */
function ftsToken(term: string): string {
  return term.replace(/'/g, 'zzq');
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

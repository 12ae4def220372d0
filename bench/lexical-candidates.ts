import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';
import { contentTerms } from '../core/tokenize.js';
import { percentile } from '../eval/metrics.js';
import { buildLexicalIndex } from '../store/lexical/build-lexical-index.js';
import { searchLexicalIndex } from '../store/lexical/search-lexical-index.js';
import { buildOldLexical } from './old-engine.js';

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
  build: (texts: string[]) => unknown;
  search: (built: unknown, terms: string[]) => number[];
}

const CANDIDATES: Candidate[] = [
  {
    engine: 'minisearch (old engine, the reference ranking)',
    build: (texts) => buildOldLexical(texts),
    search: (built, terms) =>
      (built as MiniSearch)
        .search(terms.join(' '), { tokenize: () => terms, processTerm: (t) => t })
        .slice(0, 10)
        .map((r) => r.id as number),
  },
  {
    engine: 'compact postings + MaxScore (new engine)',
    build: (texts) => buildLexicalIndex(texts),
    search: (built, terms) =>
      searchLexicalIndex(
        built as ReturnType<typeof buildLexicalIndex>,
        terms.map((term) => ({ term, weight: 1 })),
        10,
      ).map((hit) => hit.chunk),
  },
  {
    // Our analysed terms stored as the column text, so FTS5 matches exactly our stems; its bm25()
    // is its own (document length in terms, not distinct tokens, no match-count factor, no per-term weights).
    engine: 'SQLite FTS5 (better-sqlite3 12), bm25() rank',
    build: (texts) => {
      const db = new Database(':memory:');
      db.exec(`CREATE VIRTUAL TABLE chunks USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0')`);
      const insert = db.prepare('INSERT INTO chunks(rowid, terms) VALUES (?, ?)');
      db.transaction(() => texts.forEach((text, i) => insert.run(i, contentTerms(text).map(ftsToken).join(' '))))();
      db.exec(`INSERT INTO chunks(chunks) VALUES ('optimize')`);
      return db.prepare('SELECT rowid FROM chunks WHERE chunks MATCH ? ORDER BY rank LIMIT 10');
    },
    search: (built, terms) =>
      terms.length === 0
        ? []
        : (built as Database.Statement)
            .all([...new Set(terms)].map((t) => `"${ftsToken(t)}"`).join(' OR '))
            .map((row) => (row as { rowid: number }).rowid),
  },
];

/** Builds each candidate over the same chunk texts and times the same queries (analysed terms). */
export function compareLexicalCandidates(corpus: string, texts: string[], queries: string[], log: (line: string) => void): CandidateRow[] {
  const analysed = queries.map((q) => contentTerms(q));
  let reference: number[][] = [];
  return CANDIDATES.map((candidate, c) => {
    log(`lexical candidates (${corpus}, ${texts.length} chunks): ${candidate.engine}`);
    const started = performance.now();
    const built = candidate.build(texts);
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
      chunks: texts.length,
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

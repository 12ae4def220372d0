import type { Database } from './database-pool.js';
import type { LexicalSearchKind } from './generation-tables.js';

/** The lexical search a new generation gets: the one asked for, or with `auto` BM25 where pg_textsearch is installed. */
export async function chooseLexicalSearch(database: Database, setting: 'auto' | LexicalSearchKind): Promise<LexicalSearchKind> {
  const installed = (await database.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_textsearch'`)).length > 0;
  if (setting === 'bm25' && !installed) {
    throw new Error(
      `DATABASE_LEXICAL_SEARCH=bm25 needs the pg_textsearch extension, which the database at ${database.address} does not have`,
    );
  }
  return setting === 'auto' ? (installed ? 'bm25' : 'fts') : setting;
}

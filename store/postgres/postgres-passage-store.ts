import type { DocumentSummary, PassageStore, ScoredChunk } from '../../core/contracts/passage-store.js';
import { StoreUnavailableError } from '../../core/contracts/store-unavailable-error.js';
import type { DocumentKind } from '../../core/contracts/types.js';
import { createRangeReads } from './create-range-reads.js';
import type { Database } from './database-pool.js';
import { encodeTerm, quoteLexeme } from './encode-term.js';
import { generationTables } from './generation-tables.js';
import { SCHEMA } from './migrations.js';
import { checkGenerationLayout, type GenerationRecord } from './read-generation.js';
import { scoreLexicalCandidates, type LexicalCandidate } from './score-lexical-candidates.js';

/** The Postgres store: one committed generation of a collection, read through a pool. */
export interface PostgresPassageStore extends PassageStore {
  readonly generation: GenerationRecord;
}

export interface PostgresStoreOptions {
  /** Lexical candidates taken from the database per field before exact scoring: at least this many (default 200). */
  candidateDepth?: number;
  /** Characters of document text kept in memory, most recently read first (default 16 million). */
  cacheCharacters?: number;
  /** Told how long each query took, by operation, for /metrics. */
  onQuery?: (operation: string, seconds: number) => void;
}

interface SummaryRow {
  doc_id: string;
  path: string;
  url: string | null;
  title: string;
  kind: DocumentKind;
  pages: number | null;
  hash: string;
  characters: number;
  chunk_count: number;
}

const SUMMARY_COLUMNS = 'doc_id, path, url, title, kind, pages, hash, characters, chunk_count';

function summaryOf(row: SummaryRow): DocumentSummary {
  return {
    docId: row.doc_id,
    title: row.title,
    characters: row.characters,
    path: row.path,
    url: row.url,
    kind: row.kind,
    pages: row.pages,
    chunks: row.chunk_count,
    hash: row.hash,
  };
}

/** hnsw.ef_search for queries up to this many neighbours; larger ones raise it for their own transaction. */
const DEFAULT_EF_SEARCH = 200;

/**
 * A PassageStore over one generation's tables (store/postgres/generation-tables.ts), refused
 * (IndexMismatchError) when they have an older layout than this version reads. Chunks, text
 * and blocks are read by range, never a whole document (create-range-reads.ts); a generation is
 * never written once committed, so what is read of it is kept in memory within a bound. Lexical
 * search asks the database for candidates (pg_textsearch's
 * BM25 index, or full-text search over GIN) and scores them exactly as the local store does,
 * from the analysed terms and statistics stored with the generation.
 */
export function openPostgresStore(
  database: Database,
  generation: GenerationRecord,
  options: PostgresStoreOptions = {},
): PostgresPassageStore {
  // A generation of an older layout is refused here, not read as if it had this one.
  checkGenerationLayout(generation, database.address);
  const t = generationTables(generation.id);
  const depth = options.candidateDepth ?? 200;
  const timed = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } catch (error) {
      // 42P01, no such table: the generation was dropped under this replica (replaced longer ago than
      // DATABASE_GENERATION_GRACE_SECONDS). Its watcher loads the current one; until then, 503.
      if ((error as { code?: string }).code === '42P01') {
        throw new StoreUnavailableError(
          `The generation ${generation.name} of ${generation.collection} was removed from the database while this replica answered from it; it loads the current one within INDEX_RELOAD_SECONDS.`,
        );
      }
      throw error;
    } finally {
      options.onQuery?.(operation, (performance.now() - started) / 1000);
    }
  };
  const ranges = createRangeReads(database, generation.id, timed, options.cacheCharacters);
  const validRange = (characters: number, start: number, end: number) =>
    Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= characters;

  const searchDense = async (vector: number[], limit: number): Promise<ScoredChunk[]> => {
    const k = Math.min(limit, generation.chunkCount);
    if (k <= 0) return [];
    const sql = `SELECT c.doc_id, c.ordinal, v.distance FROM (
        SELECT position, embedding <=> $1::vector AS distance FROM ${t.vectors} ORDER BY embedding <=> $1::vector LIMIT $2
      ) v JOIN ${t.chunks} c USING (position) ORDER BY v.distance, v.position`;
    const params = [`[${vector.join(',')}]`, k];
    const rows = await timed('dense', () =>
      k <= DEFAULT_EF_SEARCH
        ? database.query<{ doc_id: string; ordinal: number; distance: number }>(sql, params)
        : database.transaction(async (client) => {
            await client.query(`SET LOCAL hnsw.ef_search = ${Math.min(k, 1000)}`);
            return (await client.query<{ doc_id: string; ordinal: number; distance: number }>(sql, params)).rows;
          }),
    );
    return rows.map((row) => ({ chunkId: `${row.doc_id}#${row.ordinal}`, score: 1 - row.distance }));
  };

  const lexicalCandidates = async (terms: string[]): Promise<LexicalCandidate[]> => {
    const hits =
      generation.lexical === 'bm25'
        ? `SELECT position FROM (SELECT position FROM ${t.lexical} ORDER BY text_terms <@> to_bm25query($1, '${SCHEMA}.${t.textIndex}') LIMIT $2) a
           UNION SELECT position FROM (SELECT position FROM ${t.lexical} ORDER BY heading_terms <@> to_bm25query($1, '${SCHEMA}.${t.headingIndex}') LIMIT $2) b`
        : `SELECT position FROM ${t.lexical} WHERE lexemes @@ $1::tsquery
           ORDER BY ts_rank('{0.667, 0.667, 0.667, 1}', lexemes, $1::tsquery) DESC, position LIMIT $2 * 2`;
    const query =
      generation.lexical === 'bm25' ? terms.map(encodeTerm).join(' ') : terms.map((term) => quoteLexeme(encodeTerm(term))).join(' | ');
    const rows = await database.query<{
      position: number;
      doc_id: string;
      ordinal: number;
      text_terms: string;
      heading_terms: string;
      text_length: number;
      heading_length: number;
    }>(
      `SELECT l.position, c.doc_id, c.ordinal, l.text_terms, l.heading_terms, l.text_length, l.heading_length
         FROM ${t.lexical} l JOIN ${t.chunks} c USING (position) WHERE l.position IN (${hits})`,
      [query, depth],
    );
    return rows.map((row) => ({
      chunkId: `${row.doc_id}#${row.ordinal}`,
      position: row.position,
      textTerms: row.text_terms,
      headingTerms: row.heading_terms,
      textLength: row.text_length,
      headingLength: row.heading_length,
    }));
  };

  const documentFrequencies = async (encoded: string[]) => {
    const rows = await database.query<{ term: string; text_df: number; heading_df: number }>(
      `SELECT term, text_df, heading_df FROM ${t.terms} WHERE term = ANY($1::text[])`,
      [encoded],
    );
    return new Map(rows.map((row) => [row.term, { text: row.text_df, heading: row.heading_df }]));
  };

  return {
    generation,
    embedder: generation.embedder,
    async searchLexical(terms, limit) {
      if (limit <= 0 || terms.length === 0 || generation.chunkCount === 0) return [];
      const distinct = [...new Set(terms.map((term) => term.term))];
      const [candidates, documentFrequency] = await timed('lexical', () =>
        Promise.all([lexicalCandidates(distinct), documentFrequencies(distinct.map(encodeTerm))]),
      );
      return scoreLexicalCandidates(
        terms,
        candidates,
        {
          chunkCount: generation.chunkCount,
          textAverageLength: generation.textAverageLength,
          headingAverageLength: generation.headingAverageLength,
          documentFrequency,
        },
        limit,
      );
    },
    searchDense,
    async getChunks(chunkIds) {
      const asked = chunkIds.flatMap((chunkId) => {
        const hash = chunkId.lastIndexOf('#');
        const ordinal = Number(chunkId.slice(hash + 1));
        return hash > 0 && Number.isInteger(ordinal) && ordinal >= 0 ? [{ chunkId, docId: chunkId.slice(0, hash), ordinal }] : [];
      });
      if (asked.length === 0) return [];
      const found = new Map((await ranges.chunks(asked)).map((chunk) => [chunk.chunkId, chunk]));
      // In the order asked, an id asked twice given twice, unknown ids left out (the port's contract).
      return chunkIds.flatMap((chunkId) => (found.has(chunkId) ? [found.get(chunkId)!] : []));
    },
    async getSummary(docId) {
      const rows = await timed('summary', () =>
        database.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM ${t.documents} WHERE doc_id = $1`, [docId]),
      );
      return rows[0] ? summaryOf(rows[0]) : undefined;
    },
    async getText(docId, start, end) {
      const document = await ranges.document(docId);
      return document && validRange(document.characters, start, end) ? ranges.text(document, start, end) : undefined;
    },
    async getBlocks(docId, start, end) {
      const document = await ranges.document(docId);
      if (!document) return undefined;
      if (Number.isNaN(start) || Number.isNaN(end)) return [];
      // Offsets outside the text select what the nearest inside would, as the local store does.
      const clamp = (offset: number) => Math.min(Math.max(offset, 0), document.characters);
      return ranges.blocks(document, clamp(start), clamp(end));
    },
    async listDocuments() {
      const rows = await timed('documents', () =>
        database.query<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM ${t.documents} ORDER BY position`),
      );
      return rows.map(summaryOf);
    },
    async getTermCounts(terms) {
      const encoded = terms.map(encodeTerm);
      const frequencies = await timed('term_counts', () => documentFrequencies(encoded));
      return {
        chunkCount: generation.chunkCount,
        documentFrequency: new Map(terms.map((term, i) => [term, frequencies.get(encoded[i])?.text ?? 0])),
      };
    },
  };
}

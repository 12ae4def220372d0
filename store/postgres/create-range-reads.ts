import { LRUCache } from 'lru-cache';
import { blockWindow } from '../../core/chunks/stored-chunk.js';
import type { BlockText, StoredChunk } from '../../core/contracts/passage-store.js';
import type { Block, DocumentKind } from '../../core/contracts/types.js';
import type { Database } from './database-pool.js';
import { generationTables } from './generation-tables.js';
import { piecesFor, sliceOfPieces, type TextPiece } from './text-pieces.js';

/** What a read needs to know of a document: where its rows are, and what a chunk carries of it. */
export interface DocumentRecord {
  position: number;
  docId: string;
  path: string;
  url: string | null;
  title: string;
  kind: DocumentKind;
  characters: number;
  blockCount: number;
}

/** A chunk asked for by id, as its row gives it. */
interface ChunkRow {
  chunkId: string;
  document: DocumentRecord;
  start: number;
  end: number;
  first: number;
  count: number;
  framing: number[];
}

/** Reads of a generation by range: a document's record, a range of its text, its blocks over a range, whole chunks. */
export interface RangeReads {
  document(docId: string): Promise<DocumentRecord | undefined>;
  text(document: DocumentRecord, start: number, end: number): Promise<string>;
  blocks(document: DocumentRecord, start: number, end: number): Promise<Block[]>;
  chunks(chunkIds: readonly { chunkId: string; docId: string; ordinal: number }[]): Promise<StoredChunk[]>;
}

interface BlockRow {
  document: number;
  ordinal: number;
  start_offset: number;
  end_offset: number;
  block: Omit<Block, 'start' | 'end'>;
}

const blockOf = (row: BlockRow): Block => ({ ...row.block, start: row.start_offset, end: row.end_offset });

/**
 * Reads of one generation that fetch the ranges they show, never a whole document (as the local
 * store's format 5 does): a range of text is the pieces that hold it (text-pieces.ts), a chunk's
 * blocks are those its row names (the ones it overlaps and those that frame them, each a long one
 * only as the window of it near the chunk: `blockWindow`), read in one query for every chunk asked.
 * A generation never changes once committed, so documents' records and text pieces are kept in
 * memory within bounds, most recently read first.
 */
export function createRangeReads(
  database: Database,
  generationId: number,
  timed: <T>(operation: string, work: () => Promise<T>) => Promise<T>,
  cacheCharacters = 16_000_000,
): RangeReads {
  const t = generationTables(generationId);
  const records = new LRUCache<string, DocumentRecord>({ max: 100_000 });
  // 0 keeps no text (every read goes to the database).
  const pieces = new LRUCache<string, TextPiece>({
    maxSize: Math.max(1, cacheCharacters),
    sizeCalculation: (piece) => (cacheCharacters > 0 ? Math.max(1, piece.text.length) : 2),
  });
  const pieceKey = (document: number, piece: number) => `${document}:${piece}`;

  const recordsOf = async (docIds: readonly string[]): Promise<Map<string, DocumentRecord>> => {
    const found = new Map<string, DocumentRecord>();
    const missing = [...new Set(docIds)].filter((docId) => {
      const cached = records.get(docId);
      if (cached) found.set(docId, cached);
      return !cached;
    });
    if (missing.length === 0) return found;
    const rows = await timed('document', () =>
      database.query<{
        position: number;
        doc_id: string;
        path: string;
        url: string | null;
        title: string;
        kind: DocumentKind;
        characters: number;
        block_count: number;
      }>(`SELECT position, doc_id, path, url, title, kind, characters, block_count FROM ${t.documents} WHERE doc_id = ANY($1::text[])`, [
        missing,
      ]),
    );
    for (const row of rows) {
      const record: DocumentRecord = {
        position: row.position,
        docId: row.doc_id,
        path: row.path,
        url: row.url,
        title: row.title,
        kind: row.kind,
        characters: row.characters,
        blockCount: row.block_count,
      };
      records.set(record.docId, record);
      found.set(record.docId, record);
    }
    return found;
  };

  /** Every piece the ranges need, by document, from memory or in one query. */
  const piecesOf = async (ranges: readonly { document: number; start: number; end: number }[]): Promise<Map<string, TextPiece>> => {
    const held = new Map<string, TextPiece>();
    const wanted = new Map<string, [number, number]>();
    for (const { document, start, end } of ranges) {
      const { first, last } = piecesFor(start, end);
      for (let piece = first; piece <= last; piece++) {
        const key = pieceKey(document, piece);
        if (held.has(key) || wanted.has(key)) continue;
        const cached = pieces.get(key);
        if (cached) held.set(key, cached);
        else wanted.set(key, [document, piece]);
      }
    }
    if (wanted.size > 0) {
      const rows = await timed('text', () =>
        database.query<{ document: number; piece: number; start_offset: number; text: string }>(
          `SELECT document, piece, start_offset, text FROM ${t.texts}
            WHERE (document, piece) IN (SELECT * FROM unnest($1::int[], $2::int[]))`,
          [[...wanted.values()].map(([document]) => document), [...wanted.values()].map(([, piece]) => piece)],
        ),
      );
      for (const row of rows) {
        const piece = { piece: row.piece, start: row.start_offset, text: row.text };
        pieces.set(pieceKey(row.document, row.piece), piece);
        held.set(pieceKey(row.document, row.piece), piece);
      }
    }
    return held;
  };

  const sliceOf = (held: Map<string, TextPiece>, document: number, start: number, end: number): string => {
    const { first, last } = piecesFor(start, end);
    const run: TextPiece[] = [];
    for (let piece = first; piece <= last; piece++) {
      const found = held.get(pieceKey(document, piece));
      if (found) run.push(found);
    }
    return sliceOfPieces(run, start, end);
  };

  return {
    async document(docId) {
      return (await recordsOf([docId])).get(docId);
    },
    async text(document, start, end) {
      return sliceOf(await piecesOf([{ document: document.position, start, end }]), document.position, start, end);
    },
    async blocks(document, start, end) {
      // Blocks are sorted and disjoint: those ending after `start` and starting before `end` are the
      // ones blocksInRange gives (core/chunks/place-in-document.ts).
      const rows = await timed('blocks', () =>
        database.query<BlockRow>(
          `SELECT document, ordinal, start_offset, end_offset, block FROM ${t.blocks}
            WHERE document = $1 AND end_offset > $2 AND start_offset < $3 ORDER BY ordinal`,
          [document.position, start, end],
        ),
      );
      return rows.map(blockOf);
    },
    async chunks(asked) {
      const documents = await recordsOf(asked.map((a) => a.docId));
      const known = asked.filter((a) => documents.has(a.docId));
      if (known.length === 0) return [];
      const chunkRows = await timed('chunks', () =>
        database.query<{
          doc_id: string;
          ordinal: number;
          start_offset: number;
          end_offset: number;
          block_first: number;
          block_count: number;
          framing: number[];
        }>(
          `SELECT doc_id, ordinal, start_offset, end_offset, block_first, block_count, framing FROM ${t.chunks}
            WHERE (doc_id, ordinal) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
          [known.map((a) => a.docId), known.map((a) => a.ordinal)],
        ),
      );
      const byId = new Map(chunkRows.map((row) => [`${row.doc_id}#${row.ordinal}`, row]));
      const chunks: ChunkRow[] = known.flatMap(({ chunkId, docId }) => {
        const row = byId.get(chunkId);
        if (!row) return [];
        const document = documents.get(docId)!;
        return [
          {
            chunkId,
            document,
            start: row.start_offset,
            end: row.end_offset,
            first: row.block_first,
            count: row.block_count,
            framing: row.framing,
          },
        ];
      });
      // The blocks each chunk carries, and for one that overlaps none, the block its place is read from.
      const ordinalsOf = (chunk: ChunkRow): number[] => {
        const overlapping = Array.from({ length: chunk.count }, (_, i) => chunk.first + i);
        const place = chunk.count === 0 && chunk.document.blockCount > 0 ? [Math.min(chunk.first, chunk.document.blockCount - 1)] : [];
        return [...overlapping, ...chunk.framing, ...place];
      };
      const wanted = new Map<string, [number, number]>();
      for (const chunk of chunks) {
        for (const ordinal of ordinalsOf(chunk)) wanted.set(`${chunk.document.position}:${ordinal}`, [chunk.document.position, ordinal]);
      }
      const blockRows =
        wanted.size === 0
          ? []
          : await timed('blocks', () =>
              database.query<BlockRow>(
                `SELECT document, ordinal, start_offset, end_offset, block FROM ${t.blocks}
                  WHERE (document, ordinal) IN (SELECT * FROM unnest($1::int[], $2::int[]))`,
                [[...wanted.values()].map(([document]) => document), [...wanted.values()].map(([, ordinal]) => ordinal)],
              ),
            );
      const blocks = new Map(blockRows.map((row) => [`${row.document}:${row.ordinal}`, blockOf(row)]));
      const blockAt = (chunk: ChunkRow, ordinal: number) => blocks.get(`${chunk.document.position}:${ordinal}`)!;
      // Every range shown: each chunk's text and the window of each block it carries, read in one query.
      const ranges = chunks.flatMap((chunk) => [
        { document: chunk.document.position, start: chunk.start, end: chunk.end },
        ...[...Array.from({ length: chunk.count }, (_, i) => chunk.first + i), ...chunk.framing].map((ordinal) => ({
          document: chunk.document.position,
          ...blockWindow(blockAt(chunk, ordinal), chunk),
        })),
      ]);
      const held = await piecesOf(ranges);
      const withText = (chunk: ChunkRow, ordinal: number): BlockText => {
        const block = blockAt(chunk, ordinal);
        const { start, end } = blockWindow(block, chunk);
        return { ...block, start, end, text: sliceOf(held, chunk.document.position, start, end) };
      };
      return chunks.map((chunk): StoredChunk => {
        const overlapping = Array.from({ length: chunk.count }, (_, i) => chunk.first + i);
        const placeOrdinal =
          chunk.count > 0 ? chunk.first : chunk.document.blockCount > 0 ? Math.min(chunk.first, chunk.document.blockCount - 1) : -1;
        const place = placeOrdinal >= 0 ? blockAt(chunk, placeOrdinal) : undefined;
        const { docId, title, kind, path, url } = chunk.document;
        return {
          chunkId: chunk.chunkId,
          docId,
          start: chunk.start,
          end: chunk.end,
          text: sliceOf(held, chunk.document.position, chunk.start, chunk.end),
          title,
          kind,
          path,
          url,
          page: place?.page ?? null,
          headingPath: place?.headingPath ?? [],
          blocks: overlapping.map((ordinal) => withText(chunk, ordinal)),
          framing: chunk.framing.map((ordinal) => withText(chunk, ordinal)),
        };
      });
    },
  };
}

import { open } from 'node:fs/promises';
import { createYielder } from '../yield-to-event-loop.js';
import type { LexicalField, LexicalIndex } from './lexical-index.js';

const MAGIC = 'VBLEX002';

interface FieldHeader {
  name: string;
  boost: number;
  averageLength: number;
  termCount: number;
  postingCount: number;
  termBytes: number;
  overflowCount: number;
}

/** The arrays of a field in file order; each starts on an 8-byte boundary so it loads as a view. */
function sections(field: LexicalField, termBytes: Buffer): Uint8Array[] {
  const bytes = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return [
    termBytes,
    bytes(field.offsets),
    bytes(field.chunks),
    field.frequencies,
    bytes(field.overflow.positions),
    bytes(field.overflow.frequencies),
    bytes(field.lengths),
    bytes(field.maxScores),
  ];
}

/**
 * Writes lexical.bin: a magic string, a JSON header, then per field its sorted terms (one per
 * line), offsets, chunk positions, frequencies, frequencies over 255, lengths and bounds, as raw
 * little-endian arrays.
 */
export async function writeLexicalIndex(file: string, index: LexicalIndex): Promise<void> {
  const termBlocks = index.fields.map((field) => Buffer.from(field.terms.join('\n'), 'utf8'));
  const header: { chunkCount: number; fields: FieldHeader[] } = {
    chunkCount: index.chunkCount,
    fields: index.fields.map((field, f) => ({
      name: field.name,
      boost: field.boost,
      averageLength: field.averageLength,
      termCount: field.terms.length,
      postingCount: field.chunks.length,
      termBytes: termBlocks[f].length,
      overflowCount: field.overflow.positions.length,
    })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const handle = await open(file, 'w');
  try {
    let written = 0;
    const write = async (bytes: Uint8Array) => {
      await handle.write(bytes);
      written += bytes.length;
      const pad = (8 - (written % 8)) % 8;
      if (pad > 0) {
        await handle.write(Buffer.alloc(pad));
        written += pad;
      }
    };
    const prefix = Buffer.alloc(12);
    prefix.write(MAGIC, 0, 'latin1');
    prefix.writeUInt32LE(headerBytes.length, 8);
    await write(Buffer.concat([prefix, headerBytes]));
    for (const [f, field] of index.fields.entries()) for (const section of sections(field, termBlocks[f])) await write(section);
  } finally {
    await handle.close();
  }
}

/**
 * Decodes lexical.bin's bytes (verified by the caller); the arrays are views of them, not copies.
 * The term lists (millions of terms at a million chunks) are cut in slices that yield to the event
 * loop, so a server loading a new index keeps answering.
 */
export async function decodeLexicalIndex(bytes: Buffer): Promise<LexicalIndex> {
  const pause = createYielder();
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) throw new Error('lexical.bin is not a lexical index');
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as { chunkCount: number; fields: FieldHeader[] };
  // A view needs its start aligned to the element size; readFile's buffer normally is, else copy once.
  const buffer = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  let at = align(12 + headerLength);
  const take = <T>(length: number, make: (offset: number) => T): T => {
    if (at + length > buffer.length) throw new Error('lexical.bin is truncated');
    const value = make(buffer.byteOffset + at);
    at = align(at + length);
    return value;
  };
  const fields: LexicalField[] = [];
  for (const h of header.fields) {
    const termBlock = take(h.termBytes, (offset) =>
      buffer.toString('utf8', offset - buffer.byteOffset, offset - buffer.byteOffset + h.termBytes),
    );
    const terms: string[] = [];
    for (let from = 0; terms.length < h.termCount;) {
      const newline = termBlock.indexOf('\n', from);
      const end = newline < 0 ? termBlock.length : newline;
      terms.push(termBlock.slice(from, end));
      from = end + 1;
      if ((terms.length & 0xffff) === 0) await pause();
    }
    fields.push({
      name: h.name,
      boost: h.boost,
      averageLength: h.averageLength,
      terms,
      offsets: take(4 * (h.termCount + 1), (offset) => new Uint32Array(buffer.buffer, offset, h.termCount + 1)),
      chunks: take(4 * h.postingCount, (offset) => new Uint32Array(buffer.buffer, offset, h.postingCount)),
      frequencies: take(h.postingCount, (offset) => new Uint8Array(buffer.buffer, offset, h.postingCount)),
      overflow: {
        positions: take(4 * h.overflowCount, (offset) => new Uint32Array(buffer.buffer, offset, h.overflowCount)),
        frequencies: take(4 * h.overflowCount, (offset) => new Uint32Array(buffer.buffer, offset, h.overflowCount)),
      },
      lengths: take(4 * header.chunkCount, (offset) => new Uint32Array(buffer.buffer, offset, header.chunkCount)),
      maxScores: take(8 * h.termCount, (offset) => new Float64Array(buffer.buffer, offset, h.termCount)),
    });
  }
  for (const field of fields) {
    if (field.terms.length !== field.maxScores.length) throw new Error('lexical.bin terms differ from its header');
  }
  return { chunkCount: header.chunkCount, fields };
}

function align(offset: number): number {
  return Math.ceil(offset / 8) * 8;
}

import { constants, createInflate } from 'node:zlib';

/**
 * What one PDF stream filter makes of `data`, at most `cap + 1` bytes of it (then the caller knows
 * it is over), or null for a filter that is not decoded here (images: DCT, JPX, CCITT, JBIG2;
 * encryption). Damaged data decodes as far as it goes, as pdf.js reads it.
 */
export type StreamFilter = (data: Buffer, cap: number) => Promise<Buffer>;

/** The filters pdf.js applies to text and its containers, by their names and abbreviations. */
export const STREAM_FILTERS: Record<string, StreamFilter> = {
  FlateDecode: inflate,
  Fl: inflate,
  ASCIIHexDecode: async (data, cap) => asciiHex(data, cap),
  AHx: async (data, cap) => asciiHex(data, cap),
  ASCII85Decode: async (data, cap) => ascii85(data, cap),
  A85: async (data, cap) => ascii85(data, cap),
  RunLengthDecode: async (data, cap) => runLength(data, cap),
  RL: async (data, cap) => runLength(data, cap),
  LZWDecode: async (data, cap) => lzw(data, cap),
  LZW: async (data, cap) => lzw(data, cap),
};

/** zlib data inflated up to `cap + 1` bytes; as much as inflates when it is cut or damaged. */
function inflate(data: Buffer, cap: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const inflater = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => resolve(Buffer.concat(chunks));
    inflater.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > cap) {
        inflater.destroy();
        done();
      }
    });
    inflater.on('end', done);
    inflater.on('error', done);
    inflater.end(data);
  });
}

/** Pairs of hex digits up to `>`, whitespace skipped; an odd last digit is followed by 0. */
function asciiHex(data: Buffer, cap: number): Buffer {
  const out = Buffer.allocUnsafe(Math.min(cap + 1, Math.ceil(data.length / 2)));
  let length = 0;
  let high = -1;
  for (const byte of data) {
    if (byte === 0x3e || length >= out.length) break; // '>'
    const digit = hexValue(byte);
    if (digit < 0) continue;
    if (high < 0) high = digit;
    else {
      out[length++] = (high << 4) | digit;
      high = -1;
    }
  }
  if (high >= 0 && length < out.length) out[length++] = high << 4;
  return out.subarray(0, length);
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** Adobe's base-85: five characters a four-byte group, `z` for four zero bytes, `~>` at the end. */
function ascii85(data: Buffer, cap: number): Buffer {
  const chunks: number[] = [];
  const group: number[] = [];
  const flush = (size: number) => {
    while (group.length < 5) group.push(84);
    let value = 0;
    for (const digit of group) value = value * 85 + digit;
    for (let i = 0; i < size; i++) chunks.push((value >>> (24 - 8 * i)) & 0xff);
    group.length = 0;
  };
  for (const byte of data) {
    if (chunks.length > cap) break;
    if (byte === 0x7e) break; // '~'
    if (byte === 0x7a && group.length === 0) {
      chunks.push(0, 0, 0, 0);
      continue;
    }
    if (byte < 0x21 || byte > 0x75) continue;
    group.push(byte - 33);
    if (group.length === 5) flush(4);
  }
  if (group.length > 1) flush(group.length - 1);
  return Buffer.from(chunks.slice(0, cap + 1));
}

/** A length byte, then that many + 1 literal bytes (0–127) or one byte repeated 257 − length times (129–255); 128 ends. */
function runLength(data: Buffer, cap: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (let i = 0; i < data.length && total <= cap;) {
    const length = data[i++];
    if (length === 128) break;
    const run = length < 128 ? data.subarray(i, i + length + 1) : Buffer.alloc(257 - length, data[i] ?? 0);
    i += length < 128 ? length + 1 : 1;
    chunks.push(run);
    total += run.length;
  }
  return Buffer.concat(chunks).subarray(0, cap + 1);
}

/** PDF's LZW: 9- to 12-bit codes, 256 clears the table, 257 ends; codes widen one early (EarlyChange 1, the default). */
function lzw(data: Buffer, cap: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  let table: Buffer[] = [];
  const reset = () => {
    table = Array.from({ length: 258 }, (_, i) => Buffer.from([i]));
  };
  reset();
  let width = 9;
  let bits = 0;
  let buffer = 0;
  let previous: Buffer | null = null;
  for (const byte of data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= width) {
      const code = (buffer >>> (bits - width)) & ((1 << width) - 1);
      bits -= width;
      buffer &= (1 << bits) - 1;
      if (code === 257) return Buffer.concat(out).subarray(0, cap + 1);
      if (code === 256) {
        reset();
        width = 9;
        previous = null;
        continue;
      }
      let entry = table[code];
      if (!entry) {
        if (!previous || code !== table.length) return Buffer.concat(out).subarray(0, cap + 1);
        entry = Buffer.concat([previous, previous.subarray(0, 1)]);
      }
      if (previous && table.length < 4096) table.push(Buffer.concat([previous, entry.subarray(0, 1)]));
      previous = entry;
      out.push(entry);
      total += entry.length;
      if (total > cap) return Buffer.concat(out).subarray(0, cap + 1);
      if (table.length + 1 >= 1 << width && width < 12) width++;
    }
  }
  return Buffer.concat(out).subarray(0, cap + 1);
}

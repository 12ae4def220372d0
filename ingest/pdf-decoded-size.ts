import { STREAM_FILTERS } from './pdf-stream-filters.js';

/** How far before a `stream` keyword its dictionary is looked for. */
const DICTIONARY_WINDOW = 8192;
/** Decode rounds for a stream whose filters cannot be read (an indirect value in a compressed object). */
const MAX_GUESSED_ROUNDS = 8;

/**
 * The bytes a PDF's streams decode to, all together, each filter of each stream's chain applied
 * in turn and every stage's output counted (`[/FlateDecode /FlateDecode]` counts what both inflate
 * to, `[/ASCIIHexDecode /FlateDecode]` what the hex gives and what that inflates to), without
 * going past `cap` (then a number above `cap`). pdf.js has no limit of its own and decodes each
 * stream whole in memory, so a bomb must be caught before it parses the file. Streams of images
 * or encrypted data count at their stored size.
 */
export async function decodedStreamBytes(pdf: Buffer, cap: number): Promise<number> {
  let total = 0;
  const objectValue = indirectValues(pdf);
  for (const { data, dictionary } of pdfStreams(pdf)) {
    const filters = streamFilters(dictionary, objectValue);
    total += filters ? await decodeChain(data, filters, cap - total) : await decodeGuessing(data, cap - total);
    if (total > cap) break;
  }
  return total;
}

/** Bytes every stage of `filters` outputs for `data`, stopping past `budget`; a chain without filters counts the data. */
async function decodeChain(data: Buffer, filters: string[], budget: number): Promise<number> {
  if (filters.length === 0) return data.length;
  let counted = 0;
  let current = data;
  for (const name of filters) {
    const filter = STREAM_FILTERS[name];
    // An image or encrypted stream: pdf.js does not decode it for text; it counts as stored.
    if (!filter) return counted + current.length;
    current = await filter(current, budget - counted);
    counted += current.length;
    if (counted > budget) break;
  }
  return counted;
}

/**
 * For a stream whose /Filter could not be read: inflates (or hex-decodes) as long as the data
 * looks like zlib (or hex), counting every round, so a chain hidden behind a reference is still
 * measured.
 */
async function decodeGuessing(data: Buffer, budget: number): Promise<number> {
  let counted = 0;
  let current = data;
  for (let round = 0; round < MAX_GUESSED_ROUNDS && counted <= budget; round++) {
    const name = looksLikeZlib(current) ? 'FlateDecode' : looksLikeHex(current) ? 'ASCIIHexDecode' : null;
    if (!name) break;
    current = await STREAM_FILTERS[name](current, budget - counted);
    counted += current.length;
  }
  return Math.max(counted, data.length);
}

function looksLikeZlib(data: Buffer): boolean {
  return data.length > 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0;
}

function looksLikeHex(data: Buffer): boolean {
  return data.length > 0 && /^[0-9a-fA-F\s]+>?\s*$/.test(data.subarray(0, 4096).toString('latin1'));
}

/**
 * The filter names of a stream, in the order they are applied: from `/Filter /Name` or
 * `/Filter [/A /B]` in its dictionary, or the object a `/Filter N G R` reference names. Null when
 * the filters cannot be read (a reference into a compressed object stream).
 */
function streamFilters(dictionary: string, objectValue: (reference: string) => string | undefined): string[] | null {
  const value = /\/Filter\s*(\[[^\]]*\]|\/[^\s/[\]<>()]+|\d+\s+\d+\s+R)/.exec(dictionary)?.[1];
  if (value === undefined) return [];
  const reference = /^(\d+)\s+(\d+)\s+R$/.exec(value);
  if (!reference) return filterNames(value);
  const resolved = objectValue(`${reference[1]} ${reference[2]}`);
  return resolved === undefined ? null : filterNames(resolved);
}

/**
 * Looks up the value of an uncompressed indirect object that is a name or an array (`9 0 obj
 * [/FlateDecode /FlateDecode]`), by "N G"; every such object is found in one pass, on first use.
 */
function indirectValues(pdf: Buffer): (reference: string) => string | undefined {
  let values: Map<string, string> | undefined;
  return (reference) => {
    if (!values) {
      values = new Map();
      for (const match of pdf.toString('latin1').matchAll(/(?<![\d])(\d+)\s+(\d+)\s+obj\s*(\[[^\]]*\]|\/[^\s/[\]<>()]+)/g)) {
        values.set(`${match[1]} ${match[2]}`, match[3]);
      }
    }
    return values.get(reference);
  };
}

function filterNames(value: string): string[] {
  return [...value.matchAll(/\/([^\s/[\]<>()]+)/g)].map((match) => match[1]);
}

/** The raw data of each `stream … endstream` of a PDF file, with the text of the dictionary before it. */
function* pdfStreams(pdf: Buffer): Generator<{ data: Buffer; dictionary: string }> {
  let from = 0;
  for (;;) {
    const keyword = pdf.indexOf('stream', from, 'latin1');
    if (keyword < 0) return;
    from = keyword + 6;
    if (pdf.subarray(Math.max(0, keyword - 3), keyword).toString('latin1') === 'end') continue;
    let start = from;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] !== 0x0a && start === from) continue; // "stream" inside other text
    if (pdf[start] === 0x0a) start++;
    const end = pdf.indexOf('endstream', start, 'latin1');
    if (end < 0) return;
    const before = pdf.subarray(Math.max(0, keyword - DICTIONARY_WINDOW), keyword).toString('latin1');
    // The stream's own dictionary: from its object's header (`N G obj`) on.
    const header = [...before.matchAll(/\d+\s+\d+\s+obj\b/g)].at(-1)?.index ?? 0;
    yield { data: pdf.subarray(start, end), dictionary: before.slice(header) };
    from = end + 9;
  }
}

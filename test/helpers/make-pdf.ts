import { deflateSync } from 'node:zlib';

/** A filter a test PDF's content streams can be encoded with. */
export type PdfFilter = 'FlateDecode' | 'ASCIIHexDecode' | 'ASCII85Decode';

export interface MakePdfOptions {
  /** Extra bytes of spaces each page's content stream holds once decoded: a small file that decodes to a large one. */
  inflatedPadding?: number;
  /**
   * The filters of each content stream, in the order a reader applies them (`[/ASCIIHexDecode
   * /FlateDecode]`: hex-decode, then inflate). Default: FlateDecode with padding, none without.
   */
  filters?: PdfFilter[];
  /** Write the /Filter value as an indirect object (`/Filter 9 0 R`) instead of in the stream's dictionary. */
  indirectFilter?: boolean;
}

/** A valid PDF with one page per entry of `pages` (each a line of Helvetica text). */
export function makePdf(pages: string[], options: MakePdfOptions = {}): Buffer {
  const filters = options.filters ?? (options.inflatedPadding ? ['FlateDecode'] : []);
  const objects: Buffer[] = [];
  const add = (body: Buffer | string) => objects.push(Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'));
  const pageIds = pages.map((_, i) => 4 + i * 2);
  const filterId = 4 + pages.length * 2;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const filterValue = filters.length === 0 ? '' : filters.length === 1 ? `/${filters[0]}` : `[${filters.map((f) => `/${f}`).join(' ')}]`;
  pages.forEach((text, i) => {
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageIds[i] + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`);
    const content = Buffer.from(`BT /F1 12 Tf 72 720 Td (${text}) Tj ET${' '.repeat(options.inflatedPadding ?? 0)}`, 'latin1');
    // Encoding runs the chain backwards: the last filter a reader applies is the first encoding.
    const data = [...filters].reverse().reduce(encodeWith, content);
    const filter = filters.length === 0 ? '' : ` /Filter ${options.indirectFilter ? `${filterId} 0 R` : filterValue}`;
    add(
      Buffer.concat([Buffer.from(`<< /Length ${data.length}${filter} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]),
    );
  });
  if (options.indirectFilter) add(filterValue);
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0].length;
  objects.forEach((body, i) => {
    const object = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    offsets.push(length);
    parts.push(object);
    length += object.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)];
  parts.push(
    Buffer.from(`${xref.join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'),
  );
  return Buffer.concat(parts);
}

function encodeWith(data: Buffer, filter: PdfFilter): Buffer {
  if (filter === 'FlateDecode') return deflateSync(data, { level: 9 });
  if (filter === 'ASCIIHexDecode') return Buffer.from(`${data.toString('hex')}>`, 'latin1');
  return Buffer.from(`${ascii85(data)}~>`, 'latin1');
}

/** Adobe's ASCII85 (no <~ prefix, as PDF streams write it). */
function ascii85(data: Buffer): string {
  let out = '';
  for (let i = 0; i < data.length; i += 4) {
    const group = Buffer.alloc(4);
    data.copy(group, 0, i, Math.min(i + 4, data.length));
    const size = Math.min(4, data.length - i);
    let value = group.readUInt32BE(0);
    if (value === 0 && size === 4) {
      out += 'z';
      continue;
    }
    const digits: string[] = [];
    for (let d = 0; d < 5; d++) {
      digits.unshift(String.fromCharCode(33 + (value % 85)));
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, size + 1).join('');
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { plainDocument, verifierFor } from '../../test/helpers/stored-document.js';
import type { Citation, CitationDraft, StoredDocument } from '../contracts/types.js';
import { verifyCitations } from './verify-citations.js';

const text = 'The depot opens at 7am. The depot closes at 9pm.';
const verify = verifierFor([plainDocument('memo.txt', text, 'memo')]);
const cite = (overrides: Partial<CitationDraft>): CitationDraft => ({
  n: 1,
  docId: 'memo.txt',
  title: 'memo',
  chunkId: 'memo.txt#0',
  start: 0,
  end: 23,
  quote: 'The depot opens at 7am.',
  verified: false,
  ...overrides,
});

describe('verifyCitations', () => {
  it('keeps and marks verified a quote that is exactly the stored text at its offsets', async () => {
    const placed: Citation = { ...cite({}), verified: true, link: null, path: 'memo.txt', url: null, page: null, headingPath: [] };
    expect(await verifyCitations([cite({})], verify)).toEqual({ verified: [placed], rejected: 0 });
  });

  it("links a crawled page's citation to its quote on the live page, with the words before it when its start recurs", async () => {
    const page = 'Depot hours. The depot opens at 7am on weekdays. Note: the depot opens at 7am on weekdays and at 9am on Sundays too.';
    const crawled: StoredDocument = { ...plainDocument('depot.example/hours', page, 'Hours'), url: 'https://depot.example/hours' };
    const start = page.lastIndexOf('the depot opens');
    const second = cite({ docId: crawled.docId, start, end: page.length, quote: page.slice(start) });
    expect(await verifierFor([crawled])(second)).toMatchObject({
      verified: true,
      url: 'https://depot.example/hours',
      link: 'https://depot.example/hours#:~:text=on%20weekdays.%20Note%3A-,the%20depot%20opens%20at%207am,at%209am%20on%20Sundays%20too.',
    });
    const first = cite({ docId: crawled.docId, start: 13, end: 48, quote: page.slice(13, 48) });
    expect((await verifierFor([crawled])(first))?.link).toBe(
      'https://depot.example/hours#:~:text=The%20depot%20opens%20at%207am%20on%20weekdays.',
    );
  });

  it('places a verified citation by the block its quote starts in: path, page and headings', async () => {
    const structured: StoredDocument = {
      ...plainDocument('depot/hours.pdf', text, 'Depot hours'),
      kind: 'pdf',
      pages: 2,
      blocks: [
        { kind: 'paragraph', start: 0, end: 23, headingPath: ['Depot', 'Opening'], page: 1 },
        { kind: 'paragraph', start: 24, end: 48, headingPath: ['Depot', 'Closing'], page: 2 },
      ],
    };
    const closing = cite({ docId: 'depot/hours.pdf', n: 2, start: 24, end: 48, quote: 'The depot closes at 9pm.' });
    expect(await verifierFor([structured])(closing)).toMatchObject({
      verified: true,
      path: 'depot/hours.pdf',
      page: 2,
      headingPath: ['Depot', 'Closing'],
    });
  });

  it.each([
    ['a quote that differs from the stored text', cite({ quote: 'The depot opens at 8am.' })],
    ['offsets shifted by one', cite({ start: 1, end: 24 })],
    ['an end past the text', cite({ start: 24, end: text.length + 5, quote: text.slice(24) })],
    ['a negative start', cite({ start: -1 })],
    ['an empty span', cite({ start: 5, end: 5, quote: '' })],
    ['fractional offsets', cite({ start: 0.5 })],
    ['an unknown document', cite({ docId: 'other.txt' })],
  ])('rejects %s, and counts it', async (_name, citation) => {
    expect(await verify(citation)).toBeNull();
    const result = await verifyCitations(
      [cite({}), citation, cite({ n: 3, start: 24, end: 48, quote: 'The depot closes at 9pm.' })],
      verify,
    );
    expect(result.rejected).toBe(1);
    expect(result.verified.map((c) => c.n)).toEqual([1, 3]);
    expect(result.verified.every((c) => c.verified)).toBe(true);
  });

  it('does not verify a quote that is the text of another document at those offsets', async () => {
    const both = verifierFor([
      plainDocument('memo.txt', text, 'memo'),
      plainDocument('other.txt', 'Another text entirely, longer than the memo is.'),
    ]);
    expect(await both(cite({ docId: 'other.txt' }))).toBeNull();
    expect(await both(cite({}))).not.toBeNull();
  });
});

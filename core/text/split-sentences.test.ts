import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.js';

const texts = (text: string) => splitSentences(text).map((s) => s.text);

describe('splitSentences', () => {
  it('gives exact offsets, shifted by the offset given', () => {
    const text = '  First one. Second one!\n\nThird?';
    for (const span of splitSentences(text, 100)) expect(text.slice(span.start - 100, span.end - 100)).toBe(span.text);
    expect(texts(text)).toEqual(['First one.', 'Second one!', 'Third?']);
  });

  it('joins lines hard-wrapped mid-sentence, as in text extracted from PDFs', () => {
    const text = [
      'Blockchain can also be viewed as a decentralized database running on a peer-to-',
      'peer network, where each node maintains a copy of the current ledger. It offers',
      'data security and reliability as the data cannot be easily modified.',
    ].join('\n');
    expect(texts(text)).toEqual([
      'Blockchain can also be viewed as a decentralized database running on a peer-to-\npeer network, where each node maintains a copy of the current ledger.',
      'It offers\ndata security and reliability as the data cannot be easily modified.',
    ]);
  });

  it('keeps headings, list items and paragraph ends as their own sentences', () => {
    const text =
      '— Strategic trade-off —\nHowever, some experts warn that the new partnerships could also become a trap\n- first item of a list that is long enough to look like wrapped prose\n- second item';
    expect(texts(text)).toEqual([
      '— Strategic trade-off —',
      'However, some experts warn that the new partnerships could also become a trap',
      '- first item of a list that is long enough to look like wrapped prose',
      '- second item',
    ]);
  });
});

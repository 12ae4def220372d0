import { describe, expect, it } from 'vitest';
import { cosine } from '../core/units/score-units.js';
import { localEmbeddings } from '../test/helpers/local-engine.js';

describe('LocalWordEmbeddings', () => {
  const embeddings = localEmbeddings();

  it('is deterministic and returns unit vectors of 100 dimensions', async () => {
    const [a] = await embeddings.embedDocuments(['Nvidia will supply GPUs to Samsung.']);
    const b = await embeddings.embedQuery('Nvidia will supply GPUs to Samsung.');
    expect(a).toEqual(b);
    expect(a).toHaveLength(100);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
  });

  it('places related words closer than unrelated ones', async () => {
    const [cat, kitten, password] = await embeddings.embedDocuments(['cat', 'kitten', 'password']);
    expect(cosine(cat, kitten)).toBeGreaterThan(cosine(cat, password) + 0.2);
  });

  it('places a sentence closer to a paraphrase than to an unrelated sentence', async () => {
    const [ship, boat, tax] = await embeddings.embedDocuments([
      'The ship sailed across the ocean to the harbour.',
      'A boat crossed the sea and reached the port.',
      'Income tax rates rise for high earners next year.',
    ]);
    expect(cosine(ship, boat)).toBeGreaterThan(cosine(ship, tax));
  });

  it('gives a zero vector for text with no known word', async () => {
    const vector = await embeddings.embedQuery('qzxv blorptastic');
    expect(vector.every((x) => x === 0)).toBe(true);
  });
});

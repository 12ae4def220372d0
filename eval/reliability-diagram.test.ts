import { describe, expect, it } from 'vitest';
import { reliabilityDiagramSvg } from './reliability-diagram.js';
import { reliability } from './reliability.js';

/** The attributes of each element of a kind, in order. */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag} ([^>]*)>`, 'g'))].map((match) =>
    Object.fromEntries([...match[1].matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])),
  );
}

describe('reliabilityDiagramSvg', () => {
  // Two bins: 0.3 confidence, 3 of 4 right (underclaims); 0.9 confidence, 1 of 2 right (overclaims).
  const measured = reliability([0.3, 0.3, 0.3, 0.3, 0.9, 0.9], [true, true, true, false, true, false]);
  const svg = reliabilityDiagramSvg(measured);

  it('draws one bar per tenth of confidence that holds answers, as high as the share of them right', () => {
    const bins = elements(svg, 'g');
    expect(bins.map((bin) => [bin['data-from'], bin['data-count'], bin.class])).toEqual([
      ['0.300', '4', 'bin'],
      ['0.900', '2', 'bin overclaims'],
    ]);
    const [low, high] = elements(svg, 'rect').map((rect) => Number(rect.height));
    // The plot is 300 units high: 0.75 and 0.5 of it.
    expect(low).toBeCloseTo(225, 0);
    expect(high).toBeCloseTo(150, 0);
    expect(svg).toContain('<title>confidence 0.300–0.400: 4 answers, mean confidence 0.300, 0.750 right</title>');
  });

  it('marks each bin’s mean confidence and draws the diagonal of a confidence that means what it says', () => {
    const [low, high] = elements(svg, 'circle').map((dot) => Number(dot.cx));
    expect(high - low).toBeCloseTo(0.6 * 300, 0);
    const diagonal = elements(svg, 'line').find((line) => line.class === 'perfect')!;
    expect(Number(diagonal.x2) - Number(diagonal.x1)).toBe(Number(diagonal.y1) - Number(diagonal.y2));
    expect(svg).toMatch(/aria-label="[^"]*expected calibration error 0\.\d{3}"/);
  });

  it('is self-contained: no link, image, script or external reference', () => {
    expect(svg).not.toMatch(/href|<image|<script|url\(|<foreignObject/i);
    expect(reliabilityDiagramSvg(reliability([], []))).not.toContain('<g class="bin');
  });
});

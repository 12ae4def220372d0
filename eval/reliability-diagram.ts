import { format } from './check-thresholds.js';
import type { Reliability } from './reliability.js';

const LEFT = 48;
const TOP = 16;
const SIZE = 300;
const BOTTOM = 44;
const RIGHT = 16;

/**
 * An inline SVG reliability diagram: for each tenth of the confidence scale that holds answers,
 * a bar as high as the share of them that were right, a dot at their mean confidence, and their
 * count; the diagonal is where a confidence means what it says (a bar below it overclaims).
 * Hand-written like the metrics chart: nothing is fetched or linked, so the report stays one file.
 */
export function reliabilityDiagramSvg(reliability: Reliability): string {
  const width = LEFT + SIZE + RIGHT;
  const height = TOP + SIZE + BOTTOM;
  const x = (value: number) => round(LEFT + value * SIZE);
  const y = (value: number) => round(TOP + (1 - value) * SIZE);
  const parts: string[] = [];
  for (const tick of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(`<line class="grid" x1="${x(0)}" x2="${x(1)}" y1="${y(tick)}" y2="${y(tick)}"/>`);
    parts.push(`<text class="axis" x="${x(0) - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}</text>`);
    parts.push(`<text class="axis" x="${x(tick)}" y="${y(0) + 16}" text-anchor="middle">${tick}</text>`);
  }
  parts.push(
    `<line class="perfect" x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}"><title>where confidence equals the share right</title></line>`,
  );
  for (const bin of reliability.bins) {
    if (bin.count === 0 || bin.accuracy === null || bin.meanConfidence === null) continue;
    const to = Math.min(1, bin.from + 0.1);
    const range = `${format(bin.from)}–${format(to)}`;
    const title = `confidence ${range}: ${bin.count} ${bin.count === 1 ? 'answer' : 'answers'}, mean confidence ${format(bin.meanConfidence)}, ${format(bin.accuracy)} right`;
    const overclaims = bin.meanConfidence > bin.accuracy;
    parts.push(`<g class="bin${overclaims ? ' overclaims' : ''}" data-from="${format(bin.from)}" data-count="${bin.count}">`);
    parts.push(
      `<rect class="accuracy" x="${x(bin.from) + 2}" y="${y(bin.accuracy)}" width="${x(to) - x(bin.from) - 4}" height="${y(0) - y(bin.accuracy)}"><title>${title}</title></rect>`,
    );
    parts.push(`<circle class="mean" cx="${x(bin.meanConfidence)}" cy="${y(bin.accuracy)}" r="3"><title>${title}</title></circle>`);
    parts.push(`<text class="count" x="${x(bin.from + 0.05)}" y="${y(bin.accuracy) - 5}" text-anchor="middle">${bin.count}</text>`);
    parts.push('</g>');
  }
  parts.push(`<text class="label" x="${x(0.5)}" y="${height - 8}" text-anchor="middle">confidence</text>`);
  parts.push(`<text class="label" x="12" y="${y(0.5)}" text-anchor="middle" transform="rotate(-90 12 ${y(0.5)})">share right</text>`);
  const summary = `Reliability diagram: the share of answers right in each tenth of the confidence scale, against the diagonal of a confidence that means what it says; expected calibration error ${format(reliability.ece)}`;
  return `<svg class="reliability" role="img" aria-label="${summary}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
